import fs from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { kyselyOverPglite, kyselyOverPostgres, openPglite, type DbHandle } from '../../src/db/connect.ts'
import { databaseUrlFor, ENGINE, TEST_DATABASE_URL } from './engines.ts'

let counter = 0

/** A freshly migrated database of this run's engine, private to the caller. */
export async function testDb(): Promise<DbHandle & { url?: string }> {
  if (ENGINE === 'postgres') {
    const name = `navet_t_${process.ppid}_${process.pid}_${counter++}_${Date.now() % 100000}`
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    // The run's template was made by the parent process (global setup), whose pid is our ppid or an ancestor.
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`)
    await admin.end()
    const url = databaseUrlFor(name)
    const { db } = kyselyOverPostgres(url)
    return {
      db,
      engine: 'postgres',
      url,
      async close() {
        await db.destroy()
        const cleaner = new pg.Client({ connectionString: TEST_DATABASE_URL })
        await cleaner.connect()
        await cleaner.query(`drop database if exists ${name} with (force)`)
        await cleaner.end()
      },
    }
  }
  const dump = fs.readFileSync(inject('pgliteTemplate'))
  const pglite = await openPglite({ loadDataDir: new Blob([dump]) })
  const db = kyselyOverPglite(pglite)
  return { db, engine: 'pglite', pglite, close: () => db.destroy() }
}
