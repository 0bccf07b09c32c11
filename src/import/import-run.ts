import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { PGLITE_STATISTICS_TARGET, refreshStatistics } from '../db/statistics.ts'
import type { Logger } from 'pino'
import type { Db } from '../db/connect.ts'
import type { Executor } from '../db/write.ts'
import { holdJobLock, type Engine } from './import-liveness.ts'
import { inTransaction, type Actor } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'
import type { Translate } from '../web/i18n.ts'
import { readCsvInTurns, type Delimiter } from './csv-read.ts'
import { planImport, type Decisions } from './import-plan.ts'
import { letOthersIn } from './import-batches.ts'
import { undoChanges } from './import-undo.ts'
import { writeBatch, type BatchState } from './import-write.ts'
import { findUpload, findUploadWithContent, markImported } from './import.repo.ts'

/**
 * Rows per transaction. The embedded database has one connection for everyone: a batch holds it
 * for a fraction of a second (0.02–0.4 s on a busy 2-core machine), then every request that
 * waited goes first (bench/import-responsiveness.bench.ts).
 */
export const BATCH = 100

export interface ImportJob {
  reportId: string
  /** Settles when the import is done, failed (and undone) or cut short by the database. */
  done: Promise<void>
}

/**
 * Starts the import of an upload: the report is made at once (status `running`) and the rows are
 * written in the background, in batches of their own transactions, so the app stays responsive.
 * A second submit of the same upload gets the first one's report. What the user sees is all or
 * nothing: a batch that fails undoes the batches before it (src/import/import-undo.ts), and an
 * import cut short by a crash is undone at the next start (recoverInterruptedImports).
 */
export async function startImport(db: Db, uploadId: string, decisions: Decisions, actor: Actor & { userId: string }, t: Translate, log?: Logger, engine: Engine = 'pglite'): Promise<ImportJob> {
  // The report's id is chosen first, so the job's lock is held before anyone can see the report.
  const reportId = randomUUID()
  const lock = await holdJobLock(db, engine, reportId)
  const claimed = await inTransaction(db, async (tx) => {
    const upload = await findUpload(tx, uploadId, actor.userId, { forUpdate: true })
    if (!upload) throw new NotFoundError()
    if (upload.report_id) {
      // A failed import was undone: the file may be run again (after fixing what stopped it).
      const earlier = await tx.selectFrom('import_reports').select('status').where('id', '=', upload.report_id).executeTakeFirst()
      if (earlier && earlier.status !== 'failed') return { reportId: upload.report_id, fresh: false }
    }
    if (!upload.chunks || !upload.mapping) throw new NotFoundError()
    const report = await tx.insertInto('import_reports')
      .values({ id: reportId, user_id: actor.userId, entity: upload.entity, filename: upload.filename, headers: '[]', failed_rows: '[]', total: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, status: 'running', heartbeat_at: sql`now()` })
      .returning('id').executeTakeFirstOrThrow()
    await tx.updateTable('import_uploads').set({ report_id: report.id }).where('id', '=', upload.id).execute()
    return { reportId: report.id, fresh: true }
  }).catch(async (err: unknown) => {
    await lock.release()
    throw err
  })
  if (!claimed.fresh) {
    await lock.release()
    return { reportId: claimed.reportId, done: Promise.resolve() }
  }
  const done = runImport(db, claimed.reportId, uploadId, decisions, actor, t, engine).catch(async (err: unknown) => {
    // Only the error's kind: a driver's message may echo the row's values (personal data).
    log?.error({ report: claimed.reportId, err: { name: (err as Error)?.name, code: (err as { code?: string })?.code } }, 'import failed: undoing its batches')
    await undoChanges(db, claimed.reportId, actor, 'failed')
  }).catch((err: unknown) => {
    // The database is gone: the import stays `running` and is undone at the next start.
    log?.error({ report: claimed.reportId, err: { name: (err as Error)?.name, code: (err as { code?: string })?.code } }, 'import could not be undone now')
  }).finally(() => lock.release())
  return { reportId: claimed.reportId, done }
}

async function runImport(db: Executor, reportId: string, uploadId: string, decisions: Decisions, actor: Actor & { userId: string }, t: Translate, engine: Engine): Promise<void> {
  const upload = await findUploadWithContent(db, uploadId, actor.userId)
  if (!upload?.mapping) throw new NotFoundError()
  const table = await readCsvInTurns(upload.content, upload.delimiter as Delimiter)
  await db.updateTable('import_reports').set({ total: table.rows.length, headers: JSON.stringify(table.headers) }).where('id', '=', reportId).execute()
  await letOthersIn()
  const plan = await planImport(db, { entity: upload.entity, table, mapping: upload.mapping, decisions, t })
  const state: BatchState = {
    counts: { total: plan.length, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
    failed: [],
    cellsOf: new Map(table.rows.map((r) => [r.line, r.cells])),
    versions: new Map(),
  }
  for (let start = 0; start < plan.length; start += BATCH) {
    await letOthersIn()
    await inTransaction(db, async (tx) => {
      await writeBatch(tx, reportId, upload.entity, plan.slice(start, start + BATCH), actor, t, state)
      await tx.updateTable('import_reports').set({ done: Math.min(start + BATCH, plan.length), heartbeat_at: sql`now()` }).where('id', '=', reportId).execute()
    })
  }
  // The planner's statistics for what was just loaded (src/db/statistics.ts), before the report
  // says done: the lists the user turns to next are planned with them. On the embedded database
  // ANALYZE holds everyone's connection: there a table at a time, with a turn for others between,
  // and a sample of 9 000 rows instead of 30 000 (target 30: still more values than the 21 counties
  // or the kinds) — the three tables at once held everyone for 1.6 s on a quiet machine, 4.5 s on a busy one.
  for (const table of IMPORTED_TABLES[upload.entity] ?? []) {
    await letOthersIn()
    await refreshStatistics(db, [table], engine === 'pglite' ? { target: PGLITE_STATISTICS_TARGET } : {})
  }
  await inTransaction(db, async (tx) => {
    await tx.updateTable('import_reports')
      .set({ ...state.counts, failed_rows: JSON.stringify(state.failed), status: 'done', done: plan.length, heartbeat_at: null })
      .where('id', '=', reportId).execute()
    await markImported(tx, uploadId, reportId)
  })
}

/** The tables an import of each kind writes rows to (search_words: the words of their names, by trigger). */
const IMPORTED_TABLES: Record<string, readonly string[]> = {
  organisations: ['organisations', 'audit_log', 'import_changes', 'search_words'],
  contacts: ['contacts', 'affiliations', 'audit_log', 'import_changes', 'search_words'],
}
