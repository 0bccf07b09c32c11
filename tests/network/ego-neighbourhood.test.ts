import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generate, sizeAt } from '../../bench/generate.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { edgeIndices } from '../../src/network/measures.ts'
import { egoNodes, networkView, selectView, type ViewParams } from '../../src/network/view.ts'
import { today } from '../../src/register/vocabulary.ts'
import { NotFoundError } from '../../src/web/errors.ts'
import { testDb } from '../helpers/db.ts'

/**
 * An ego network reads only the neighbourhood of its focus from the register, step by step
 * (src/network/graph.service.ts `around`), instead of the whole register of the day: at the
 * national size the whole was 232 000 nodes read for a view of 56 (7–11 s, bench/README.md). What
 * it shows must be exactly what picking the ego network out of the whole graph shows — the same
 * people, organisations and links, and co-participation weights counted over every activity.
 */
let h: DbHandle
// The generated register is dated around today (activities of the last four years, alliances running now).
const AT = today()
let focuses: { id: string; type: string }[] = []

beforeAll(async () => {
  h = await testDb()
  // 200 organisations, 400 people, their affiliations (some ended), relationships, alliances
  // and their members, 120 activities with 1 200 participations.
  await generate(h.db, sizeAt(0.002))
  // What a register also holds: records deleted and links ended before the day of the view.
  await sql`update organisations set deleted_at = now() where id in (select id from organisations order by id limit 8)`.execute(h.db)
  await sql`update contacts set deleted_at = now() where id in (select id from contacts order by id limit 15)`.execute(h.db)
  await sql`update organisation_relationships set end_date = current_date - 1 where id in (select id from organisation_relationships order by id limit 40)`.execute(h.db)
  await sql`update alliance_members set start_date = current_date + 1 where id in (select id from alliance_members order by id limit 30)`.execute(h.db)
  const pick = async (table: 'organisations' | 'contacts' | 'alliances', type: string, n: number) =>
    (await sql<{ id: string }>`select id from ${sql.table(table)} order by md5(id::text) limit ${n}`.execute(h.db)).rows.map((r) => ({ id: r.id, type }))
  focuses = [...(await pick('organisations', 'organisation', 12)), ...(await pick('contacts', 'contact', 12)), ...(await pick('alliances', 'alliance', 4))]
}, 120_000)
afterAll(() => h.close())

/** The ego network as it was picked before: out of the whole view of the day, with the same filters. */
async function pickedFromWhole(q: ViewParams) {
  const whole = await selectView(h.db, { ...q, focus: undefined, depth: undefined })
  if (!whole.nodes.some((n) => n.id === q.focus)) return 'not found'
  const keep = egoNodes(q.focus!, q.depth ?? 1, whole.edges)
  return shape(whole.nodes.filter((n) => keep.has(n.id)), whole.edges.filter((e) => keep.has(e.source) && keep.has(e.target)))
}

const shape = (nodes: { id: string; label: string; county?: string | null }[], edges: { id: string; weight: number; activity_ids?: string[] }[]) => ({
  nodes: nodes.map((n) => `${n.id} ${n.label} ${n.county ?? ''}`).sort(),
  edges: edges.map((e) => `${e.id} ${e.weight} ${(e.activity_ids ?? []).join(',')}`).sort(),
})

async function aroundFocus(q: ViewParams) {
  try {
    const view = await selectView(h.db, q)
    return { view, shown: shape(view.nodes, view.edges) }
  } catch (err) {
    if (err instanceof NotFoundError) return { view: null, shown: 'not found' as const }
    throw err
  }
}

describe('an ego network read from its neighbourhood', () => {
  it('shows exactly what picking it out of the whole graph shows, for any focus, depth and filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...focuses),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom({}, { kind: 'ngo' }, { county: 'Skåne län' }, { types: 'organisation' }, { types: ['organisation', 'alliance'] }, { category: 'official' }),
        async (focus, depth, filter) => {
          const q = networkQuery.parse({ at: AT, focus: focus.id, depth: String(depth), ...filter })
          const { shown } = await aroundFocus(q)
          expect(shown).toEqual(await pickedFromWhole(q))
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)

  it('reads only the neighbourhood, not the whole register', async () => {
    const org = (await sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id
      where o.deleted_at is null group by o.id order by count(*) desc, o.id limit 1`.execute(h.db)).rows[0]!
    const { view } = await aroundFocus(networkQuery.parse({ at: AT, focus: org.id, depth: '1' }))
    const whole = await selectView(h.db, networkQuery.parse({ at: AT }))
    expect(view!.graph.around).toEqual({ focus: org.id, depth: 1 })
    expect(view!.nodes.length).toBeGreaterThan(1)
    // Every node read is within one step of the focus (the graph of the day is at least ten times larger).
    expect(view!.graph.nodes.length).toBe(view!.nodes.length)
    expect(whole.graph.nodes.length).toBeGreaterThan(10 * view!.graph.nodes.length)
  })

  it('is laid out on its own neighbourhood, not on the whole register', async () => {
    const org = (await sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id
      where o.deleted_at is null group by o.id order by count(*) desc, o.id limit 1`.execute(h.db)).rows[0]!
    const q = networkQuery.parse({ at: AT, focus: org.id, depth: '2', layout: 'server', cluster: 'none' })
    const view = await networkView(h.db, q, { layoutWaitMs: 60_000 })
    expect(view.meta.layout).toBe('server')
    expect(view.nodes.every((n) => typeof n.x === 'number' && typeof n.y === 'number')).toBe(true)
    const stored = await h.db.selectFrom('network_layout_cache').select(['view_key', 'positions']).execute()
    const mine = stored.find((r) => r.view_key.includes(`around:${org.id}:2`))!
    const positions = typeof mine.positions === 'string' ? JSON.parse(mine.positions) : mine.positions
    const { graph } = await selectView(h.db, q)
    const whole = await selectView(h.db, networkQuery.parse({ at: AT }))
    expect(Object.keys(positions).sort()).toEqual(graph.nodes.map((n) => n.id).sort())
    expect(Object.keys(positions).length).toBeLessThan(whole.graph.nodes.length)
  }, 60_000)

  it('answers 404 for a focus that is no node of the day, as before', async () => {
    const gone = (await sql<{ id: string }>`select id from organisations where deleted_at is not null limit 1`.execute(h.db)).rows[0]!
    expect((await aroundFocus(networkQuery.parse({ at: AT, focus: gone.id }))).shown).toBe('not found')
    expect((await aroundFocus(networkQuery.parse({ at: AT, focus: '00000000-0000-4000-8000-000000000000', depth: '2' }))).shown).toBe('not found')
  })

  // The view's links carry their ends' positions from the graph through every filter and the fold
  // (view.ts carriedEnds): looking both ends of every link up by id again took 0.3–0.9 s of the
  // server's thread at 200 000 contacts, after every write.
  it("carries its links' ends through filters and the fold, as looking them up by id gives them", async () => {
    const org = (await sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id
      where o.deleted_at is null group by o.id order by count(*) desc, o.id limit 1`.execute(h.db)).rows[0]!
    const queries = [
      { fold: 'people' }, { fold: 'people', unfold: org.id }, { kind: 'ngo' }, { kind: 'municipality', fold: 'people' },
      { unlinked: 'hide' }, { focus: org.id, depth: '2', fold: 'people' }, { category: 'official', unlinked: 'hide' },
    ]
    for (const filter of queries) {
      const view = await selectView(h.db, networkQuery.parse({ at: AT, ...filter }))
      expect(view.edges.length, JSON.stringify(filter)).toBeGreaterThan(0)
      expect(view.ends, JSON.stringify(filter)).toBeDefined()
      const byId = edgeIndices({ nodes: view.nodes, edges: view.edges })
      expect([...view.ends!], JSON.stringify(filter)).toEqual([...byId.source].flatMap((a, k) => [a, byId.target[k]!]))
    }
  })
})
