import { afterAll, beforeAll, expect, it } from 'vitest'
import { dataVersion, NAMED } from '../../src/db/data-version.ts'
import type { Graph } from '../../src/network/graph.service.ts'
import { cachedLayout, layoutsComputed } from '../../src/network/layout.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { networkView } from '../../src/network/view.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// A layout of the state before a write went on while the view of the new state was read and
// measured (seconds of one of two cores at 200 000 contacts), and stopped only when that view asked
// for its own layout. Now it stops as the newer view begins.
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  const editor = await t.apiToken('editor')
  await t.request('/api/v1/organisations', jsonRequest('POST', { name: 'Tidigkommun', kind: 'municipality' }, editor.headers))
})
afterAll(() => t.close())

it('stops the layout of an older state as soon as a view of a newer state begins, even one that asks for no layout', async () => {
  const now = await dataVersion(t.db, NAMED)
  // Large enough that its layout runs for a second or more: it is under way when the newer view begins.
  const nodes = Array.from({ length: 4000 }, (_, i) => ({ id: `s${i}`, type: 'organisation', label: `s${i}` }))
  const edges = nodes.slice(1).map((n, i) => ({ id: `g${i}`, source: nodes[i]!.id, target: n.id, type: 'partner_of', weight: 1 }))
  // A layout of the state one write before this one, still running.
  const initial = layoutsComputed()
  const older = await cachedLayout(t.db, { at: '2025-09-01', version: String(now - 1n), nodes, edges } as unknown as Graph, ['organisation'], 0)
  expect(older.state).toBe('pending')
  // Its worker started (the claim is an insert first).
  await expect.poll(() => layoutsComputed()).toBe(initial + 1)
  const before = layoutsComputed()
  await networkView(t.db, networkQuery.parse({ types: 'organisation', layout: 'none', at: '2025-09-02' }))
  // Stopped: done with nothing, nothing stored, and the view laid out nothing itself.
  expect(await older.done).toBeNull()
  expect(layoutsComputed()).toBe(before)
  expect(await t.db.selectFrom('network_layout_cache').select('data_version').where('view_key', '=', 'fa2:v2|2025-09-01|organisation').execute()).toEqual([])

  // A request that read the older state before the write and asks for its layout only now is
  // told `pending`, and nothing is laid out for it.
  const late = await cachedLayout(t.db, { at: '2025-09-03', version: String(now - 1n), nodes, edges } as unknown as Graph, ['organisation'], 60_000)
  expect(late.state).toBe('pending')
  expect(await late.done).toBeNull()
  expect(layoutsComputed()).toBe(before)
}, 60_000)
