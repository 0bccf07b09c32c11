import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { refreshStatistics } from '../../src/db/statistics.ts'
import { importFile } from './import-helpers.ts'

// After a bulk load the planner has statistics for the tables loaded (src/db/statistics.ts):
// without them PostgreSQL plans a large table as if it were empty, and the embedded engine never
// gathers any on its own (no autovacuum).
let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

/** What the planner believes a table holds (pg_class.reltuples: -1 before any ANALYZE). */
async function plannedRows(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = ${table}::regclass`.execute(t.db)
  return Number(rows[0]!.n)
}

describe('statistics after a bulk load', () => {
  it('are there for the imported table once the import is done', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `Föreningen Statistik ${i + 1};ngo`)
    await importFile(t, cookie, 'organisations', `Namn;Typ\r\n${lines.join('\r\n')}\r\n`)
    expect(await plannedRows('organisations')).toBeGreaterThanOrEqual(120)
    expect(await plannedRows('audit_log')).toBeGreaterThanOrEqual(120)
  })

  it('may sample less for one refresh without leaving the smaller sample on the (embedded: everyone’s) session', async () => {
    const target = async () => (await sql<{ default_statistics_target: string }>`show default_statistics_target`.execute(t.db)).rows[0]!.default_statistics_target
    // PostgreSQL's default, nowhere changed for the session: neither by the import above nor by this refresh.
    expect(await target()).toBe('100')
    await refreshStatistics(t.db, ['organisations'], { target: 30 })
    expect(await target()).toBe('100')
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stats where tablename = 'organisations' and attname = 'name'`.execute(t.db)
    expect(rows[0]!.n).toBe(1)
  })
})
