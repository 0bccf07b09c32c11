import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Graph } from '../../src/network/graph.service.ts'
import { cachedLayout, layoutsComputed } from '../../src/network/layout.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { networkView } from '../../src/network/view.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// A large view's layout is claimed (network_layout_claims) before it is computed, so that app
// instances on one PostgreSQL compute it once between them (tests/db/two-instances.test.ts). The
// embedded engine runs the same path: its one instance always wins the claim.
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  const editor = await t.apiToken('editor')
  const ids: string[] = []
  for (const n of [1, 2, 3, 4]) {
    const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name: `Layoutkommun ${n}`, kind: 'municipality' }, editor.headers))
    ids.push((await res.json()).id)
  }
  for (const [a, b] of [[0, 1], [1, 2], [2, 3]] as const) {
    await t.request('/api/v1/organisation-relationships', jsonRequest('POST', { from_organisation_id: ids[a], to_organisation_id: ids[b], type: 'partner_of' }, editor.headers))
  }
})
afterAll(() => t.close())

const view = (at: string) => networkQuery.parse({ types: 'organisation', layout: 'server', at })

describe('a server layout claimed before it is computed', () => {
  it('is computed once for readers asking at the same time, under a claim', async () => {
    const before = layoutsComputed()
    const [one, two] = await Promise.all([networkView(t.db, view('2025-01-01'), { layoutWaitMs: 60_000 }), networkView(t.db, view('2025-01-01'), { layoutWaitMs: 60_000 })])
    expect(layoutsComputed() - before).toBe(1)
    expect(one.nodes.map((n) => [n.x, n.y])).toEqual(two.nodes.map((n) => [n.x, n.y]))
    expect(one.nodes.every((n) => typeof n.x === 'number')).toBe(true)
    const claims = await t.db.selectFrom('network_layout_claims').select(['view_key', 'data_version']).execute()
    expect(claims.map((c) => c.data_version)).toContain(one.meta.data_version)
  }, 60_000)

  it('waits for the instance holding the claim and takes its positions, computing none itself', async () => {
    const pending = await networkView(t.db, view('2025-02-01'), { layoutWaitMs: 0 })
    // Nothing claimed yet for this day: this instance claimed it and is computing; let it finish.
    expect(pending.meta.layout).toBe('pending')
    const key = 'fa2:v2|2025-02-01|organisation'
    await expect.poll(async () => (await t.db.selectFrom('network_layout_cache').select('view_key').where('view_key', '=', key).executeTakeFirst()) !== undefined, { timeout: 50_000 }).toBe(true)

    // Another instance claims the next day's layout: this one computes nothing and waits.
    const version = pending.meta.data_version
    const other = key.replace('2025-02-01', '2025-03-01')
    await t.db.insertInto('network_layout_claims').values({ view_key: other, data_version: version }).execute()
    const before = layoutsComputed()
    const waiting = await networkView(t.db, view('2025-03-01'), { layoutWaitMs: 300 })
    expect(waiting.meta.layout).toBe('pending')
    const positions = Object.fromEntries(waiting.nodes.map((n, i) => [n.id, [i + 1, -(i + 1)]]))
    await t.db.insertInto('network_layout_cache').values({ view_key: other, data_version: version, positions: JSON.stringify(positions) }).execute()
    await expect.poll(async () => (await networkView(t.db, view('2025-03-01'), { layoutWaitMs: 0 })).meta.layout, { timeout: 10_000 }).toBe('server_cached')
    const done = await networkView(t.db, view('2025-03-01'), { layoutWaitMs: 0 })
    expect(done.nodes.map((n) => [n.x, n.y])).toEqual(waiting.nodes.map((_, i) => [i + 1, -(i + 1)]))
    expect(layoutsComputed()).toBe(before)
  }, 60_000)

  it('takes over a claim its instance stopped renewing', async () => {
    const probe = await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'none', at: '2025-04-01' }))
    const key = `fa2:v2|2025-04-01|organisation`
    await t.db.insertInto('network_layout_claims').values({ view_key: key, data_version: probe.meta.data_version, claimed_at: sql`now() - interval '1 hour'` }).execute()
    const before = layoutsComputed()
    const v = await networkView(t.db, view('2025-04-01'), { layoutWaitMs: 60_000 })
    expect(v.meta.layout).toBe('server')
    expect(layoutsComputed() - before).toBe(1)
  }, 60_000)

  it('stops the layout of an older state of the register when a newer one is asked for, and keeps the newer', async () => {
    // Two states of one view a write apart: at 50 000 contacts each layout took seconds of a core,
    // and those of states no one could use any more piled up after each write.
    const nodes = Array.from({ length: 600 }, (_, i) => ({ id: `n${i}`, type: 'organisation', label: `n${i}` }))
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id, type: 'partner_of', weight: 1 }))
    const state = (version: string) => ({ at: '2025-06-01', version, nodes, edges }) as unknown as Graph
    const older = await cachedLayout(t.db, state('900001'), ['organisation'], 0)
    expect(older.state).toBe('pending')
    const newer = await cachedLayout(t.db, state('900002'), ['organisation'], 0)
    expect(newer.state).toBe('pending')
    // The older one is stopped (done with nothing), the newer laid out and kept.
    expect(await older.done).toBeNull()
    expect(await newer.done).not.toBeNull()
    const kept = await t.db.selectFrom('network_layout_cache').select('data_version').where('view_key', '=', 'fa2:v2|2025-06-01|organisation').execute()
    expect(kept.map((r) => r.data_version)).toEqual(['900002'])
    expect((await cachedLayout(t.db, state('900002'), ['organisation'], 0)).state).toBe('cached')
    // Asked for again (a request that read the register before the write, late), the older state
    // is not laid out at all, and the newer one's positions stay.
    const before = layoutsComputed()
    const late = await cachedLayout(t.db, state('900001'), ['organisation'], 60_000)
    // Told it is not ready, with the places stored meanwhile (of the newer state; the API answers `pending`).
    expect(late.state).toBe('previous')
    expect(await late.done).toBeNull()
    expect(layoutsComputed()).toBe(before)
    expect((await cachedLayout(t.db, state('900002'), ['organisation'], 0)).state).toBe('cached')
  }, 60_000)

  it('stores a layout only over an older state: a late one of an older state removes no newer one, of any view', async () => {
    // As another instance would: its layout of an older state finishing after this one stored a newer.
    const newer = 'fa2:v2|2025-08-01|organisation'
    await t.db.insertInto('network_layout_cache').values({ view_key: newer, data_version: '900020', positions: JSON.stringify({ a: [1, 1] }) }).execute()
    const nodes = Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, type: 'organisation', label: `m${i}` }))
    const edges = nodes.slice(1).map((n, i) => ({ id: `f${i}`, source: nodes[i]!.id, target: n.id, type: 'partner_of', weight: 1 }))
    const older = (at: string) => ({ at, version: '900019', nodes, edges }) as unknown as Graph
    // Another view's older state: laid out and stored beside the newer row, which stays.
    expect((await cachedLayout(t.db, older('2025-07-01'), ['organisation'], 60_000)).state).toBe('computed')
    const rows = await t.db.selectFrom('network_layout_cache').select(['view_key', 'data_version']).where('data_version', 'in', ['900019', '900020']).orderBy('view_key').execute()
    expect(rows).toEqual([{ view_key: 'fa2:v2|2025-07-01|organisation', data_version: '900019' }, { view_key: newer, data_version: '900020' }])
  }, 60_000)
})
