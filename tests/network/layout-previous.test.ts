import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KEEP_PLACES_FROM, keepPlaces } from '../../src/network/layout-fa2.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { networkView } from '../../src/network/view.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { recordStatements } from '../helpers/statements.ts'
import { holdLayout } from './hold-layout.ts'

// After a write the whole register's layout was computed anew by ForceAtlas2: two minutes of one
// of two cores at 200 000 contacts, every node moved, and meanwhile the page got no positions and
// laid the view out itself (2–3 s in the browser). Now the places of the state before are served
// meanwhile, and the new layout keeps them, setting only the nodes added since.
let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const ids: string[] = []
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  // 24: one node added is under 5 % of the view (keepPlaces; more, and it is laid out anew).
  for (let n = 1; n <= 24; n++) {
    const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name: `Platskommun ${n}`, kind: 'municipality', ...(n <= 3 ? { county: 'Skåne län' } : {}) }, editor.headers))
    ids.push((await res.json()).id)
  }
  for (let i = 1; i < ids.length; i++) {
    await t.request('/api/v1/organisation-relationships', jsonRequest('POST', { from_organisation_id: ids[i - 1], to_organisation_id: ids[i], type: 'partner_of' }, editor.headers))
  }
})
afterAll(() => t.close())

type Placed = { id: string; x?: number; y?: number }
const places = (nodes: Placed[]) => Object.fromEntries(nodes.filter((n) => n.x !== undefined).map((n) => [n.id, [n.x, n.y]]))

const page = { previousPlaces: true }
const org = async (name: string) => (await (await t.request('/api/v1/organisations', jsonRequest('POST', { name, kind: 'municipality' }, editor.headers))).json()).id as string
const link = (a: string, b: string) => t.request('/api/v1/organisation-relationships', jsonRequest('POST', { from_organisation_id: a, to_organisation_id: b, type: 'partner_of' }, editor.headers))

describe('a server layout after a write', () => {
  it('serves the places of the state before to the page while it is computed, then keeps them and sets the new node beside its link', async () => {
    const q = networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-01' })
    const first = await networkView(t.db, q, { ...page, layoutWaitMs: 60_000 })
    expect(first.meta.layout).toBe('server')
    const before = places(first.nodes)
    expect(Object.keys(before)).toHaveLength(ids.length)

    const added = await org('Platskommun ny')
    await link(ids[2]!, added)
    // Claimed as by another instance, so that both answers below come while it is "computed"
    // (this small layout is otherwise done within milliseconds); released further down.
    const hold = await holdLayout(t.db, '2025-10-01', 'organisation')

    const meanwhile = await networkView(t.db, q, { ...page, layoutWaitMs: 0 })
    expect(meanwhile.meta.data_version).not.toBe(first.meta.data_version)
    expect(meanwhile.meta.layout).toBe('server_previous')
    expect(places(meanwhile.nodes)).toEqual(before)
    expect(meanwhile.nodes.find((n) => n.id === added)).not.toHaveProperty('x')
    // The API and the files: no positions of another state, as before.
    const api = await networkView(t.db, q, { layoutWaitMs: 0 })
    expect(api.meta.layout).toBe('pending')
    expect(api.nodes.some((n) => 'x' in n)).toBe(false)

    await hold.release()
    await expect.poll(async () => (await networkView(t.db, q, { ...page, layoutWaitMs: 0 })).meta.layout, { timeout: 30_000 }).toBe('server_cached')
    const after = places((await networkView(t.db, q, { ...page, layoutWaitMs: 0 })).nodes)
    const { [added]: at, ...kept } = after
    expect(kept).toEqual(before)
    const [x, y] = before[ids[2]!]!
    expect(Math.hypot(at![0]! - x!, at![1]! - y!)).toBeLessThanOrEqual(29)
  }, 60_000)

  it('keeps a view’s places when another view’s layout is stored first after a write', async () => {
    // An ego network's layout is small and was stored first after a write: storing it deleted the
    // whole view's places of the state before, and the whole view was laid out anew.
    const whole = networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-05' })
    const ego = networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-05', focus: ids[0], depth: 1 })
    const before = places((await networkView(t.db, whole, { ...page, layoutWaitMs: 60_000 })).nodes)
    await networkView(t.db, ego, { ...page, layoutWaitMs: 60_000 })

    await link(ids[0]!, await org('Platskommun till'))
    expect((await networkView(t.db, ego, { ...page, layoutWaitMs: 60_000 })).meta.layout).toBe('server')
    const meanwhile = await networkView(t.db, whole, { ...page, layoutWaitMs: 0 })
    expect(meanwhile.meta.layout).toBe('server_previous')
    await expect.poll(async () => (await networkView(t.db, whole, { ...page, layoutWaitMs: 0 })).meta.layout, { timeout: 30_000 }).toBe('server_cached')
    const after = places((await networkView(t.db, whole, { ...page, layoutWaitMs: 0 })).nodes)
    for (const [id, p] of Object.entries(before)) expect(after[id]).toEqual(p)
  }, 60_000)

  it('marks the places of the state before as this state’s when nobody was added or removed, without laying out again', async () => {
    // An organisation renamed: the same nodes, the same places. They were sent to a worker and
    // written again (13.5 MB at 200 000 contacts: 2.5 s of CPU, 5 s before the page had them).
    const q = networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-06' })
    const before = places((await networkView(t.db, q, { ...page, layoutWaitMs: 60_000 })).nodes)
    await sql`update organisations set name = 'Platskommun 1 (omdöpt)' where id = ${ids[0]}`.execute(t.db)
    const watched = recordStatements(t.db)
    const renamed = await networkView(watched.db, q, { ...page, layoutWaitMs: 60_000 })
    expect(renamed.meta.layout).toBe('server')
    expect(places(renamed.nodes)).toEqual(before)
    expect(renamed.nodes.find((n) => n.id === ids[0])!.label).toBe('Platskommun 1 (omdöpt)')
    expect(watched.ran.filter((s) => /^update "network_layout_cache" set "data_version"/.test(s))).toHaveLength(1)
    expect(watched.ran.filter((s) => s.startsWith('insert into "network_layout_cache"'))).toEqual([])
    const stored = await t.db.selectFrom('network_layout_cache').select('data_version').where('view_key', '=', 'fa2:v2|2025-10-06|organisation').executeTakeFirstOrThrow()
    expect(stored.data_version).toBe(renamed.meta.data_version)
    // A node added: laid out (its places kept), and written.
    await org('Platskommun efter namnbytet')
    const grown = recordStatements(t.db)
    await networkView(grown.db, q, { ...page, layoutWaitMs: 60_000 })
    expect(grown.ran.filter((s) => s.startsWith('insert into "network_layout_cache"'))).toHaveLength(1)
  }, 60_000)

  it('serves another day’s places for a day not yet laid out, only when they place most of its nodes', async () => {
    const laid = await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-02' }), { ...page, layoutWaitMs: 60_000 })
    // Held as by another instance while the answers below are checked.
    const hold = await holdLayout(t.db, '2025-10-03', 'organisation')
    const next = await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-03' }), { ...page, layoutWaitMs: 0 })
    expect(next.meta.layout).toBe('server_previous')
    expect(places(next.nodes)).toEqual(places(laid.nodes))
    // A filter picks nodes out of the same view's places.
    const filtered = await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-03', county: 'Skåne län' }), { ...page, layoutWaitMs: 0 })
    expect(filtered.meta.layout).toBe('server_previous')
    expect(filtered.nodes.map((n) => n.id).sort()).toEqual(ids.slice(0, 3).sort())
    expect(places(filtered.nodes)).toEqual(Object.fromEntries(Object.entries(places(laid.nodes)).filter(([id]) => ids.slice(0, 3).includes(id))))
    await hold.release()
    // Not another view's: with contacts it is another picture, and none was laid out yet.
    const contacts = await networkView(t.db, networkQuery.parse({ types: 'organisation,contact', layout: 'server', at: '2025-10-03' }), { ...page, layoutWaitMs: 0 })
    expect(contacts.meta.layout).toBe('pending')

    // Ten organisations more: the places of before cover under 80 % of the view, which the page then lays out itself.
    for (let n = 0; n < 10; n++) await org(`Platskommun extra ${n}`)
    const grown = await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-10-04' }), { ...page, layoutWaitMs: 0 })
    expect(grown.meta.layout).toBe('pending')
    expect(grown.nodes.some((n) => 'x' in n)).toBe(false)
  }, 60_000)
})

describe('keepPlaces', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `n${i}`)
  // A chain n0–n1–…–n39, and n40 linked to nothing.
  const graph = { nodes: [...ids, 'n40'].map((id) => ({ id })), edges: ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id })) }
  const placed = (count: number) => Object.fromEntries(ids.slice(0, count).map((id, i) => [id, [i * 100, 0] as [number, number]]))

  it('lays out anew when fewer than 95 % of the nodes have a place', () => {
    expect(keepPlaces(graph, placed(38))).toBeNull()
    expect(38 / 41).toBeLessThan(KEEP_PLACES_FROM)
  })

  it('reads a graph by node positions as it does by ids', () => {
    const previous: Record<string, [number, number]> = { ...placed(40), n40: [0, 0] }
    delete previous.n38
    const byIds = keepPlaces(graph, previous)
    const indices = { n: 41, source: Int32Array.from(ids.slice(1).map((_, i) => i)), target: Int32Array.from(ids.slice(1).map((_, i) => i + 1)), weight: new Float64Array(39).fill(1) }
    expect(keepPlaces({ ids: [...ids, 'n40'], indices }, previous)).toEqual(byIds)
  })

  it('keeps every place, sets a new node beside its placed link and one linked only to new nodes after it, the unlinked below', () => {
    const previous: Record<string, [number, number]> = { ...placed(40), n40: [0, 0] }
    delete previous.n38
    const out = keepPlaces(graph, previous)!
    for (const [id, p] of Object.entries(previous)) expect(out[id]).toEqual(p)
    // n38 lies between n37 and n39: linked to both, placed at their middle.
    const [x, y] = out.n38!
    expect(Math.hypot(x - 3800, y)).toBeLessThanOrEqual(29)
    expect(keepPlaces(graph, previous)).toEqual(out)

    const chainEnd = { ...placed(39), n40: [0, 0] as [number, number] }
    const moved = keepPlaces({ nodes: [...graph.nodes, { id: 'n41' }], edges: [...graph.edges, { source: 'n39', target: 'n41' }] }, chainEnd)!
    // n39 is new and linked to n38 (placed) and n41 (new): beside n38; then n41 beside n39.
    expect(Math.hypot(moved.n39![0] - 3800, moved.n39![1])).toBeLessThanOrEqual(29)
    expect(Math.hypot(moved.n41![0] - moved.n39![0], moved.n41![1] - moved.n39![1])).toBeLessThanOrEqual(29)

    const alone = keepPlaces({ nodes: [...graph.nodes, { id: 'n41' }], edges: graph.edges }, { ...placed(40), n40: [0, 0] })!
    // Linked to nothing: in a row below everything placed.
    expect(alone.n41![1]).toBeGreaterThan(0)
  })
})
