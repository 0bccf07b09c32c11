import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPAND_LIMIT, ISOLATED_GROUP } from '../../src/network/cluster.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let viewer: Awaited<ReturnType<TestApp['browser']>>
const ISOLATED = 4000

/** A register after a large import: thousands of organisations with no link at all, and a few that are linked. */
beforeAll(async () => {
  t = await testApp()
  viewer = await t.browser('viewer')
  await sql`insert into organisations (name, kind, sort_name, tags, theme_ids)
    select 'Importerad förening ' || i, 'ngo', 'importerad förening ' || i, '{}', '{}' from generate_series(1, ${ISOLATED}) as i`.execute(t.db)
  const editor = await t.apiToken('editor')
  const ids: string[] = []
  for (const name of ['Kommun A', 'Kommun B', 'Kommun C']) {
    const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name, kind: 'municipality' }, editor.headers))
    ids.push((await res.json()).id)
  }
  for (const [a, b] of [[0, 1], [1, 2]] as const) {
    await t.request('/api/v1/organisation-relationships', jsonRequest('POST', { from_organisation_id: ids[a], to_organisation_id: ids[b], type: 'partner_of' }, editor.headers))
  }
})
afterAll(() => t.close())

describe('a network of thousands of unlinked organisations', () => {
  it('collapses the organisations without links into one group', async () => {
    const res = await t.request('/api/v1/network?types=organisation', { headers: { cookie: viewer.cookie } })
    expect(res.status).toBe(200)
    const view = (await res.json()) as { nodes: { id: string; type: string; size?: number; label: string }[]; meta: { node_count: number } }
    expect(view.meta.node_count).toBe(ISOLATED + 3)
    expect(view.nodes.length).toBeLessThan(10)
    const isolated = view.nodes.find((n) => n.id === ISOLATED_GROUP)!
    expect(isolated).toMatchObject({ type: 'cluster', size: ISOLATED })
    expect(isolated.label).toBe('Utan kopplingar')
  })

  it('keeps the network page small, and a group too large to draw closed when asked to open it', async () => {
    const page = await t.request('/network?types=organisation', { headers: { cookie: viewer.cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html.length).toBeLessThan(200_000)
    expect(ISOLATED).toBeGreaterThan(EXPAND_LIMIT)
    const opened = await t.request(`/api/v1/network?types=organisation&cluster=community&expand=${encodeURIComponent(ISOLATED_GROUP)}`, { headers: { cookie: viewer.cookie } })
    const view = (await opened.json()) as { nodes: unknown[] }
    expect(view.nodes.length).toBeLessThan(10)
  })
})
