import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { Kysely, PGliteDialect, PostgresDialect, type DialectAdapter, type Driver } from 'kysely'
import pg from 'pg'
import { packManyRows } from './many-rows.ts'
import { preparePgliteStatements, prepareStatements } from './prepared.ts'
import type { Database } from './schema.ts'
import { stopQueriesOfGoneClients } from './client-gone.ts'
import { lockDataDir } from './data-dir-lock.ts'
import { ConnectionTurns } from './turns.ts'
import { isEmptyDataDir, readTemplate } from './template.ts'

export type Db = Kysely<Database>

export interface DbHandle {
  db: Db
  engine: 'pglite' | 'postgres'
  /** The embedded engine's instance (the job queue talks to it directly); undefined on PostgreSQL. */
  pglite?: PGlite
  /** The PostgreSQL server's address (the job queue keeps its own small pool); undefined on PGlite. */
  url?: string
  /** PGlite made this database from nothing (no template to unpack): once migrated, it can become the template (src/db/template.ts). */
  blank?: boolean
  /** PostgreSQL: opens every pooled connection now, so the first burst after a start does not wait for them; how many opened. */
  openPool?(): Promise<number>
  close(): Promise<void>
}

// Dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
const DATE_OID = 1082
pg.types.setTypeParser(DATE_OID, (v: string) => v)
const INT8_OID = 20
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v))

export const pgliteExtensions = { pg_trgm, unaccent }

/**
 * The embedded engine's planner settings, for its one session. Its pages are read from this
 * machine's files through the operating system's cache, not from a spinning disk: a random read
 * costs about what a sequential one does. At the default random_page_cost (4) the planner read
 * all 7 500 organisations to find the 166 of a place name rather than use the trigram index
 * (3.7 ms against 0.9), and a search's SQL took 9.5 ms instead of 3.8 (bench/README.md).
 * PostgreSQL's own server is its operator's to tune (README: PostgreSQL).
 */
const PGLITE_SETTINGS = 'set random_page_cost = 1.1'

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: pgliteExtensions,
    parsers: { [DATE_OID]: (v: string) => v },
  })
  await pglite.exec(PGLITE_SETTINGS)
  return pglite
}

/**
 * PGlite runs in this thread and has one connection, which Kysely hands from query to query
 * through promises: without a turn of the event loop between two holders, a queue of requests
 * ran query after query in one go and the server read none of its sockets meanwhile (11 s at 50
 * connections). Its keep-alive timers fell due in the stall, so it closed connections with the
 * client's next request unread: ECONNRESET (bench/README.md, Load). Each holder therefore lets
 * the event loop turn once before it runs: requests that arrived are read and queue behind.
 */
class TurnTakingPGliteDialect extends PGliteDialect {
  // The one connection is handed out by ConnectionTurns (in turns, requests before long reads
  // behind them) instead of Kysely's own first-come mutex, which it keeps for a driver that says
  // it has one connection only.
  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter()
    Object.defineProperty(adapter, 'supportsMultipleConnections', { value: true })
    return adapter
  }

  override createDriver(): Driver {
    const driver = super.createDriver()
    const turns = new ConnectionTurns()
    const acquire = driver.acquireConnection.bind(driver)
    const release = driver.releaseConnection.bind(driver)
    driver.acquireConnection = async (options) => {
      await turns.take()
      try {
        return await acquire(options)
      } catch (err) {
        turns.give()
        throw err
      }
    }
    driver.releaseConnection = async (connection, options) => {
      try {
        await release(connection, options)
      } finally {
        turns.give()
      }
    }
    return driver
  }
}

export function kyselyOverPglite(pglite: PGlite, options: { preparedStatements?: boolean } = {}): Db {
  if (options.preparedStatements ?? true) preparePgliteStatements(pglite)
  packManyRows(pglite)
  return new Kysely<Database>({ dialect: new TurnTakingPGliteDialect({ pglite }), plugins: [stopQueriesOfGoneClients] })
}

/**
 * The request pool on PostgreSQL. `max` connections; a request that finds them all busy queues
 * for up to `connectionTimeoutMillis` (a burst of 50 users on 10 connections waits its turn
 * rather than failing) before it is answered 503. DATABASE_POOL_MAX, DATABASE_POOL_TIMEOUT_MS.
 */
export interface PoolSettings {
  max: number
  connectionTimeoutMillis: number
  /** Statements sent outside a transaction are prepared once per connection (src/db/prepared.ts). DATABASE_PREPARED_STATEMENTS. */
  preparedStatements?: boolean
  /** How long a connection may stay idle before it is closed, when connections are not kept (`keep: false`; tests). */
  idleTimeoutMillis?: number
  /** Keep every connection once opened (the default); false closes idle ones after idleTimeoutMillis. */
  keep?: boolean
}
export const DEFAULT_POOL: PoolSettings = { max: 10, connectionTimeoutMillis: 30_000, preparedStatements: true }

/** The server behind a PostgreSQL pool: is every connection busy, and does the server answer a connection of its own? */
export interface OutsidePool {
  saturated(): boolean
  probe(): Promise<void>
}
const outsidePool = new WeakMap<Db, OutsidePool>()
export const outsidePoolOf = (db: Db): OutsidePool | undefined => outsidePool.get(db)

export function kyselyOverPostgres(url: string, onError: (err: Error) => void = () => {}, settings: PoolSettings = DEFAULT_POOL): { db: Db; pool: pg.Pool } {
  const { preparedStatements = true, keep = true, idleTimeoutMillis = 30_000, ...poolSettings } = settings
  const pool = new pg.Pool({
    connectionString: url,
    ...poolSettings,
    // A connection once opened stays open. Closed after 30 s idle, a quiet minute emptied the pool,
    // and the next burst waited for new backends: each loads its catalog caches and dictionaries
    // (a first search 20 ms, then 3) and prepares its statements again (bench/README.md: a burst
    // after 40 s idle, p97.5 570–583 ms).
    min: keep ? poolSettings.max : 0,
    idleTimeoutMillis,
    // No JIT compilation: the app's reads are short, and the planner's cost of the plan-progress
    // queries (generic CTEs, estimates far too high) crossed jit_above_cost — PostgreSQL then
    // spent 5.4 of their 5.6 s compiling 650 functions (bench/README.md, plan progress).
    options: '-c jit=off',
  })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [stopQueriesOfGoneClients] })
  // /healthz asks the server itself, outside the pool, when every pooled connection is busy
  // with other requests: a queue is not an outage (src/health/health.routes.ts). /healthz is
  // public, so the probes asked meanwhile share one: a flood of health checks during a burst
  // opens one connection beside the pool, not one each (max_connections is the whole server's).
  let probing: Promise<void> | undefined
  const probeOnce = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('select 1')
    } finally {
      await client.end().catch(() => {})
    }
  }
  outsidePool.set(db, {
    saturated: () => pool.waitingCount > 0,
    probe: () => (probing ??= probeOnce().finally(() => (probing = undefined))),
  })
  // A client whose server went away emits 'error' — idle in the pool or checked out by a
  // query. Unhandled, that event would crash the process; the query itself still fails.
  pool.on('error', onError)
  pool.on('connect', (client) => {
    client.on('error', onError)
    if (preparedStatements) prepareStatements(client)
  })
  return { db, pool }
}

/**
 * Opens the pool's connections all at once and puts them back. pg opens a connection only when a
 * query finds none idle, so after a restart the first burst waited for up to `max` new backends
 * (bench/README.md: the first figure of each run, p97.5 312 ms against 62 warm). A connection the
 * server refuses (max_connections) is left to open later, on demand, as before.
 */
export async function openEveryConnection(pool: pg.Pool): Promise<number> {
  const opened = await Promise.allSettled(Array.from({ length: pool.options.max }, () => pool.connect()))
  let count = 0
  for (const result of opened) {
    if (result.status !== 'fulfilled') continue
    result.value.release()
    count++
  }
  return count
}

export async function connect(
  config: { databaseUrl?: string | undefined; dataDir: string; pool?: PoolSettings | undefined },
  onError?: (err: Error) => void,
): Promise<DbHandle> {
  if (config.databaseUrl) {
    const { db, pool } = kyselyOverPostgres(config.databaseUrl, onError, config.pool)
    return { db, engine: 'postgres', url: config.databaseUrl, openPool: () => openEveryConnection(pool), close: () => db.destroy() }
  }
  const unlock = lockDataDir(config.dataDir)
  try {
    // An empty DATA_DIR starts from the migrated template when there is one (src/db/template.ts).
    const template = isEmptyDataDir(config.dataDir) ? readTemplate() : undefined
    const blank = isEmptyDataDir(config.dataDir) && !template
    const pglite = await openPglite({ dataDir: config.dataDir, loadDataDir: template })
    const db = kyselyOverPglite(pglite, { preparedStatements: config.pool?.preparedStatements })
    return {
      db,
      engine: 'pglite',
      pglite,
      blank,
      async close() {
        await db.destroy()
        if (!pglite.closed) await pglite.close()
        unlock()
      },
    }
  } catch (err) {
    unlock()
    throw err
  }
}
