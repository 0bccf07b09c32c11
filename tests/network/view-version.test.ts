import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computedViews } from '../../src/network/view.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

/**
 * The network view is cached per data version (src/db/data-version.ts, src/network/view.ts): a
 * change to what the graph is read from must show on the next read, also when it comes straight
 * into a table (an import, bulk SQL, another instance) and keeps every table's row count — which
 * the graph's former fingerprint (row counts and latest updated_at) did not see.
 */
let t: TestApp
let headers: Record<string, string>
beforeAll(async () => {
  t = await testApp()
  headers = (await t.apiToken('editor')).headers
})
afterAll(() => t.close())

const create = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, headers))
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as { id: string }
}
const edgeIds = async () => {
  const res = await t.request('/api/v1/network?cluster=none', { headers })
  expect(res.status).toBe(200)
  return ((await res.json()) as { edges: { id: string }[] }).edges.map((e) => e.id)
}

describe('the network view after a write straight into a table', () => {
  it('drops an affiliation ended in the table, though no row count changed', async () => {
    const org = await create('/api/v1/organisations', { name: 'Länsstyrelsen i Gotlands län', kind: 'county_board', county: 'Gotlands län' })
    await create('/api/v1/contacts', { first_name: 'Tove', last_name: 'Tabellsson', affiliations: [{ organisation_id: org.id, start_date: '2020-01-01' }] })
    const aff = await t.db.selectFrom('affiliations').select('id').where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    expect(await edgeIds()).toContain(`aff:${aff.id}`)
    await sql`update affiliations set end_date = date '2021-01-01' where id = ${aff.id}`.execute(t.db)
    expect(await edgeIds()).not.toContain(`aff:${aff.id}`)
  })

  it('follows an organisation relationship ended in the table', async () => {
    const a = await create('/api/v1/organisations', { name: 'Region Gotland', kind: 'region', county: 'Gotlands län' })
    const b = await create('/api/v1/organisations', { name: 'Gotlands museum', kind: 'ngo', county: 'Gotlands län' })
    const rel = await create('/api/v1/organisation-relationships', { from_organisation_id: a.id, to_organisation_id: b.id, type: 'partner_of', start_date: '2020-01-01' })
    const before = await edgeIds()
    expect(before.some((id) => id.includes(rel.id))).toBe(true)
    await sql`update organisation_relationships set end_date = date '2021-01-01' where id = ${rel.id}`.execute(t.db)
    expect((await edgeIds()).some((id) => id.includes(rel.id))).toBe(false)
  })
})

describe('readers who miss the cache together', () => {
  it('share one computation of the view, and all get the same answer', async () => {
    await create('/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority' })
    const before = computedViews()
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.request('/api/v1/network?cluster=none', { headers })))
    expect(computedViews() - before).toBe(1)
    const bodies = await Promise.all(answers.map((r) => r.text()))
    expect(new Set(bodies).size).toBe(1)
  })
})
