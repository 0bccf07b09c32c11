import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { keepStatisticsFresh, upkeepStatistics } from '../../src/db/statistics.ts'
import { lastEngagedOn } from '../../src/privacy/last-engaged.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

/**
 * The embedded engine has no autovacuum, so its planner statistics stayed as the first ANALYZE
 * left them: interactions analysed while there were none were planned as one row for good. At
 * 336 interactions the contacts list's "last engaged" read scanned all of them once per link
 * looked at, 0.4–0.6 s a page instead of 6 ms, and at 50 users every request queued behind it on
 * the one connection (bench/README.md, *Statistics that never refresh*).
 */

let h: DbHandle
let contactIds: string[]

/** The planner's estimate of the rows `select` returns. */
async function estimate(query: string): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`explain (format json) ${sql.raw(query)}`.execute(h.db)
  const plan = rows[0]!['QUERY PLAN']
  return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan['Plan Rows']
}

/** Everyday writes, in bulk: `n` interactions, each linked to one of the people. */
async function addInteractions(n: number) {
  await sql`
    with made as (
      insert into interactions (kind, occurred_on, summary)
      select 'call', date '2026-11-01' + (i % 30), 'Samtal ' || i from generate_series(1, ${n}) i
      returning id
    )
    insert into interaction_links (interaction_id, contact_id)
    select m.id, (${sql.val(contactIds)}::uuid[])[1 + (row_number() over () % ${contactIds.length})::int] from made m`.execute(h.db)
}

// The embedded engine only: the server runs this upkeep there (src/start.ts); a PostgreSQL server has
// its autovacuum, and reports a connection's change counts up to 10 s late, which would race it here.
describe.runIf(ENGINE === 'pglite')('the planner’s statistics follow everyday writes', () => {
  beforeAll(async () => {
    h = await testDb()
    await sql`
      insert into contacts (first_name, last_name, sort_name, search_text)
      select 'Person', 'Nummer ' || i, 'nummer ' || i, 'person nummer ' || i from generate_series(1, 300) i`.execute(h.db)
    contactIds = (await sql<{ id: string }>`select id from contacts order by id`.execute(h.db)).rows.map((r) => r.id)
    // As a register is at its first start or after an import: statistics taken while there were no interactions.
    await sql`analyze`.execute(h.db)
  }, 60_000)
  afterAll(() => h.close())

  it('brings a table that grew from empty up to date', async () => {
    await addInteractions(2_000)
    // Nothing else refreshes them on the embedded engine: the planner still sees (about) none.
    expect(await estimate('select * from interactions where deleted_at is null')).toBeLessThan(100)
    const refreshed = await upkeepStatistics(h.db)
    expect(refreshed).toEqual(expect.arrayContaining(['public.interactions', 'public.interaction_links']))
    expect(await estimate('select * from interactions where deleted_at is null')).toBeGreaterThan(1_500)
    expect(await estimate('select * from interaction_links')).toBeGreaterThan(1_500)
    // The read itself answers as before.
    const days = await lastEngagedOn(h.db, contactIds.slice(0, 3))
    expect([...days.values()].every((d) => d !== null && d >= '2026-11-01' && d <= '2026-11-30')).toBe(true)
  })

  it('refreshes nothing when nothing changed', async () => {
    // The engine reports change counts at most once a second: let the last writes' arrive first.
    await new Promise((r) => setTimeout(r, 1_100))
    await sql`select 1`.execute(h.db)
    await upkeepStatistics(h.db)
    expect(await upkeepStatistics(h.db)).toEqual([])
  })

  it('sees growth whose change counts were lost (the embedded engine forgets them when it stops)', async () => {
    await addInteractions(4_000)
    await sql`select pg_stat_reset()`.execute(h.db)
    expect(await upkeepStatistics(h.db)).toEqual(expect.arrayContaining(['public.interactions', 'public.interaction_links']))
    expect(await estimate('select * from interactions')).toBeGreaterThan(5_000)
  })

  it('clears dead row versions once a fifth of a table is dead', async () => {
    await sql`update interactions set summary = summary || '.'`.execute(h.db)
    const dead = async () =>
      (await sql<{ n: number }>`select n_dead_tup::int as n from pg_stat_user_tables where relname = 'interactions'`.execute(h.db)).rows[0]!.n
    // The engine reports its counts within a second.
    for (let i = 0; i < 30 && (await dead()) < 1_000; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await dead()).toBeGreaterThan(1_000)
    await upkeepStatistics(h.db)
    for (let i = 0; i < 30 && (await dead()) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await dead()).toBe(0)
  })

  it('is kept up by the server on its own, every so often', async () => {
    const upkeep = keepStatisticsFresh(h.db, pino({ level: 'silent' }), 50)
    try {
      await addInteractions(20_000)
      let rows = 0
      for (let i = 0; i < 100 && rows < 20_000; i++) {
        await new Promise((r) => setTimeout(r, 100))
        rows = await estimate('select * from interactions')
      }
      expect(rows).toBeGreaterThan(20_000)
    } finally {
      await upkeep.stop()
    }
  })
})
