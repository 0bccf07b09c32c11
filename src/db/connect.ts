import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'
import { lockDataDir } from './data-dir-lock.ts'
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
  close(): Promise<void>
}

// Dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
const DATE_OID = 1082
pg.types.setTypeParser(DATE_OID, (v: string) => v)
const INT8_OID = 20
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v))

export const pgliteExtensions = { pg_trgm, unaccent }

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  return PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: pgliteExtensions,
    parsers: { [DATE_OID]: (v: string) => v },
  })
}

export function kyselyOverPglite(pglite: PGlite): Db {
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
}

export function kyselyOverPostgres(url: string, onError: (err: Error) => void = () => {}): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 })
  // A client whose server went away emits 'error' — idle in the pool or checked out by a
  // query. Unhandled, that event would crash the process; the query itself still fails.
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool }
}

export async function connect(
  config: { databaseUrl?: string | undefined; dataDir: string },
  onError?: (err: Error) => void,
): Promise<DbHandle> {
  if (config.databaseUrl) {
    const { db } = kyselyOverPostgres(config.databaseUrl, onError)
    return { db, engine: 'postgres', url: config.databaseUrl, close: () => db.destroy() }
  }
  const unlock = lockDataDir(config.dataDir)
  try {
    // An empty DATA_DIR starts from the migrated template when there is one (src/db/template.ts).
    const template = isEmptyDataDir(config.dataDir) ? readTemplate() : undefined
    const blank = isEmptyDataDir(config.dataDir) && !template
    const pglite = await openPglite({ dataDir: config.dataDir, loadDataDir: template })
    const db = kyselyOverPglite(pglite)
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
