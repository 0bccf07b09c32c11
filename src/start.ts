import { serve, type ServerType } from '@hono/node-server'
import type { Logger } from 'pino'
import { createApp } from './app.ts'
import type { AppDeps } from './app-env.ts'
import type { Config } from './config.ts'
import { connect, type DbHandle } from './db/connect.ts'
import { migrateToLatest } from './db/migrate.ts'
import { saveTemplate } from './db/template.ts'
import { backgroundCounts } from './db/data-version.ts'
import { keepsOwnStatistics, keepStatisticsFresh } from './db/statistics.ts'
import { pruneParticipationMarks } from './network/co-participation.ts'
import { deleteExpiredSessions } from './auth/sessions.ts'
import { deleteExpiredLoginRequests } from './sign-in/login-requests.ts'
import { deleteExpiredImports } from './import/import.repo.ts'
import { recoverInterruptedImports } from './import/import-undo.ts'
import { bootstrapAdmin } from './setup/bootstrap-admin.ts'
import { erasureLogPath } from './privacy/erasure-log.ts'
import { replayErasureLog } from './privacy/erasure-replay.ts'
import { startOutreach, type Outreach } from './newsletter/outreach.ts'
import { safeError } from './log.ts'
import { applyAutomaticRules } from './privacy/retention.service.ts'

const SHUTDOWN_GRACE_MS = 10_000
const HOUSEKEEPING_MS = 60 * 60 * 1000

export interface Running {
  server: ServerType
  handle: DbHandle
  port: number
  stop(): Promise<void>
}

/** Connects, migrates, creates the configured admin, and serves. */
export async function start(config: Config, log: Logger): Promise<Running> {
  const started = performance.now()
  const handle = await connect(config, (err) => log.warn({ err: safeError(err) }, 'database connection lost'))
  try {
    const migrated = await migrateToLatest(handle.db)
    for (const m of migrated.results ?? []) log.info({ migration: m.migrationName, status: m.status }, 'migration')
    // Migrated from nothing and still empty: kept as the template the next empty DATA_DIR starts from.
    if (handle.blank && handle.pglite) {
      const saved = await saveTemplate(handle.pglite)
      if (saved) log.info('kept the migrated empty database as the template for new data directories')
    }
    if (await bootstrapAdmin(handle.db, config.admin)) log.info('created the administrator from ADMIN_EMAIL')
    // A backup restored by other means than `npm run restore` must not bring erased people back either.
    const replayed = await replayErasureLog(handle.db, erasureLogPath(config))
    if (replayed.anonymised + replayed.restricted + replayed.unrestricted > 0) log.info(replayed, 'erasure log re-applied')
    if (handle.openPool) log.info({ connections: await handle.openPool() }, 'database pool opened')
  } catch (err) {
    await handle.close()
    throw err
  }
  // The job queue is ready before the server answers (a stop right after /healthz finds it
  // started); it takes jobs once the server listens.
  let outreach: Outreach
  try {
    outreach = await startOutreach(handle, config, log, { work: false })
  } catch (err) {
    await handle.close()
    throw err
  }
  const deps: AppDeps = { db: handle.db, engine: handle.engine, config, log, outreach }
  const app = createApp(deps)
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    s.once('error', reject)
  })
  // Node's default (5 s) is shorter than a load balancer's idle timeout: the balancer could reuse
  // a connection the app has just closed (a 502 for that user). The headers timeout must be longer
  // still, or Node drops a reused connection whose next request's headers arrive late.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number }
  http.keepAliveTimeout = config.keepAliveTimeoutMs ?? 65_000
  http.headersTimeout = http.keepAliveTimeout + 1_000
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  // Mail links need the real port when PUBLIC_URL is unset and the port was chosen by the system.
  await outreach.listening(port)
  if (outreach.mailer.dev) log.info('no SMTP_URL: e-mails are written to this log (development)')
  log.info({ host: config.host, port, engine: handle.engine, ms: Math.round(performance.now() - started) }, 'listening')

  // What expires: run once now (a server that was down for days catches up) and every hour.
  // An import cut short (a crash) is undone: at start on the embedded database (nothing else can
  // be running it), at start and every hour on PostgreSQL (where a job's lock tells if it lives).
  let firstTidy = true
  const recoverImports = async (db: typeof handle.db) => {
    if (firstTidy || handle.engine === 'postgres') await recoverInterruptedImports(db, handle.engine, log)
    firstTidy = false
  }
  // Retention rules marked automatic (src/privacy/retention.service.ts) are applied with them: at least daily.
  const jobs = {
    sessions: deleteExpiredSessions, loginRequests: deleteExpiredLoginRequests, imports: deleteExpiredImports, interruptedImports: recoverImports,
    retention: (db: typeof handle.db) => applyAutomaticRules(db, erasureLogPath(config)),
    participationMarks: pruneParticipationMarks,
  }
  const tidy = () => {
    for (const [task, job] of Object.entries(jobs)) {
      ;(job(handle.db) as Promise<unknown>).catch((err: Error) => log.warn({ task, err: safeError(err) }, 'housekeeping failed'))
    }
  }
  tidy()
  const housekeeping = setInterval(tidy, HOUSEKEEPING_MS)
  housekeeping.unref()
  // Where nothing else does (the embedded engine; a server with autovacuum off), the app keeps the planner's statistics up to date.
  const ownStatistics = await keepsOwnStatistics(handle.db, handle.engine).catch(() => true)
  if (!ownStatistics && handle.engine === 'postgres') log.info('autovacuum is off on the database server: Navet refreshes the planner statistics itself')
  const statistics = ownStatistics ? undefined : keepStatisticsFresh(handle.db, handle.engine, log)

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(housekeeping)
      await statistics?.stop()
      // Stop accepting, let requests in flight finish (up to the grace period), then close the database.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
          resolve()
        }, SHUTDOWN_GRACE_MS)
        force.unref()
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        ;(server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.()
      })
      await outreach.stop()
      // Counts the dashboard started for nobody's request (its last figures were shown meanwhile).
      await backgroundCounts(handle.db, SHUTDOWN_GRACE_MS)
      await handle.close()
    })())
  return { server, handle, port, stop }
}
