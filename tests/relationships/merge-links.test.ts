import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { edgesValidOn } from '../../src/network/edges-at.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { pageWithSections } from '../helpers/sections.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
const organisation = (name: string) => create('/api/v1/organisations', { name, kind: 'authority' })
const merge = async (survivor: { id: string; version: number }, other: { id: string; version: number }, entity = 'organisations') => {
  const res = await api('POST', `/api/v1/${entity}/${survivor.id}/merge`, { other_id: other.id, version: survivor.version, other_version: other.version })
  expect(res.status, await res.clone().text()).toBe(200)
}

describe('merging records with seats and relationships', () => {
  it('moves the seats and relationships of the organisation merged away, dropping a relationship the survivor already has', async () => {
    const [esf, up, dup] = [await organisation('Svenska ESF-rådet'), await organisation('UP Vägen in'), await organisation('UP Vägen In (dubblett)')]
    const c = await create('/api/v1/contacts', { first_name: 'Hanna', last_name: 'Holm' })
    const body = await create('/api/v1/bodies', { name: 'Styrgruppen', kind: 'steering_group', seats: [{ contact_id: c.id, organisation_id: dup.id }] })
    await create('/api/v1/organisation-relationships', { from_organisation_id: esf.id, to_organisation_id: up.id, type: 'funds', start_date: '2002-01-01' })
    await create('/api/v1/organisation-relationships', { from_organisation_id: esf.id, to_organisation_id: dup.id, type: 'funds', start_date: '2002-01-01' })
    const advice = await create('/api/v1/organisation-relationships', { from_organisation_id: dup.id, to_organisation_id: esf.id, type: 'advises' })
    await merge(up, dup)
    const rows = (await (await api('GET', `/api/v1/organisation-relationships?organisation_id=${up.id}`)).json()).data
    expect(rows.map((r: { type: string }) => r.type).sort()).toEqual(['advises', 'funds'])
    expect(rows.find((r: { id: string }) => r.id === advice.id)).toMatchObject({ from_organisation_id: up.id, to_organisation_id: esf.id })
    expect((await (await api('GET', `/api/v1/bodies/${body.id}`)).json()).seats[0].organisation_id).toBe(up.id)
  })

  it('leaves a relationship between the two merged organisations off the page and out of the edges', async () => {
    const [a, b] = [await organisation('Länsstyrelsen i Hallands län'), await organisation('Länsstyrelsen Halland')]
    const r = await create('/api/v1/organisation-relationships', { from_organisation_id: a.id, to_organisation_id: b.id, type: 'partner_of' })
    await merge(a, b)
    const browser = await t.browser('viewer')
    const html = await (await pageWithSections(t.request, `/organisations/${a.id}`, { headers: { cookie: browser.cookie } })).text()
    expect(html).toContain('Inga relationer registrerade.')
    expect((await edgesValidOn(t.db, '2010-01-01')).some((e) => e.via?.id === r.id)).toBe(false)
  })

  it('moves the seats of a person merged away', async () => {
    const [p, dup] = [await create('/api/v1/contacts', { first_name: 'Ivar', last_name: 'Ing' }), await create('/api/v1/contacts', { first_name: 'Ivar', last_name: 'Ing' })]
    const body = await create('/api/v1/bodies', { name: 'Referensgruppen', kind: 'reference_group', seats: [{ contact_id: dup.id, role: 'observer' }] })
    await merge(p, dup, 'contacts')
    expect((await (await api('GET', `/api/v1/bodies/${body.id}`)).json()).seats[0].contact_id).toBe(p.id)
  })
})
