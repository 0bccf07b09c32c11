import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../migrations/index.ts'
import { kyselyOverPglite, kyselyOverPostgres, openPglite } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { ROOT } from '../../src/paths.ts'
import { databaseUrlFor, ENGINE, TEST_DATABASE_URL } from '../helpers/engines.ts'

/** An empty database of this run's engine, not from the migrated template. */
async function emptyDb() {
  if (ENGINE === 'postgres') {
    const name = `navet_empty_${process.pid}_${Date.now() % 100000}`
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const { db } = kyselyOverPostgres(databaseUrlFor(name))
    return {
      db,
      close: async () => {
        await db.destroy()
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  }
  const db = kyselyOverPglite(await openPglite({}))
  return { db, close: () => db.destroy() }
}

describe(`migrations on ${ENGINE}`, () => {
  it('build the whole schema from an empty database, and a second run changes nothing', async () => {
    const { db, close } = await emptyDb()
    try {
      const first = await migrateToLatest(db)
      expect(first.results?.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => 'Success'))
      const second = await migrateToLatest(db)
      expect(second.results).toEqual([])
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db)
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['audit_log', 'rate_limits', 'sessions', 'users']))
    } finally {
      await close()
    }
    // A whole migration from an empty embedded database: over 20 s on a loaded 2-core machine.
  }, 60_000)

  it('enable accent folding and trigram similarity for search', async () => {
    const { db, close } = await emptyDb()
    try {
      await migrateToLatest(db)
      const r = await sql<{ u: string; s: number }>`select unaccent('Jönköping') as u, similarity('Migrationsverkt', 'Migrationsverket') as s`.execute(db)
      expect(r.rows[0]!.u).toBe('Jonkoping')
      expect(Number(r.rows[0]!.s)).toBeGreaterThan(0.5)
    } finally {
      await close()
    }
  }, 60_000)

  it('lists every migration file in migrations/index.ts, in time order', () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'migrations'))
      .filter((f) => /^\d{8}T\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort()
    expect(Object.keys(migrations)).toEqual(files)
  })
})
