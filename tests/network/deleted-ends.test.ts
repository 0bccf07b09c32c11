import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, admin.headers))
async function create(path: string, body: Record<string, unknown>) {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as { id: string; [k: string]: unknown }
}
async function edgeIsGone(edge: string, deletedPath: string, hiddenName: string) {
  expect((await api('GET', `/api/v1/network/edges/${edge}`)).status, `${edge} before`).toBe(200)
  expect((await api('DELETE', deletedPath)).status).toBe(204)
  expect((await api('GET', deletedPath)).status).toBe(404)
  const res = await api('GET', `/api/v1/network/edges/${edge}`)
  expect(res.status, edge).toBe(404)
  expect(await res.text()).not.toContain(hiddenName)
}

describe('edges of deleted records', () => {
  it('does not tell a deleted contact’s name through an affiliation edge', async () => {
    const org = await create('/api/v1/organisations', { name: 'Rädda Barnen Kalmar', kind: 'ngo' })
    const person = await create('/api/v1/contacts', { first_name: 'Raderad', last_name: 'Raderadsson', affiliations: [{ organisation_id: org.id }] })
    const affId = ((await (await api('GET', `/api/v1/contacts/${person.id}`)).json()) as { affiliations: { id: string }[] }).affiliations[0]!.id
    await edgeIsGone(`aff:${affId}`, `/api/v1/contacts/${person.id}`, 'Raderadsson')
  })

  it('answers 404 for every other kind of edge once one end is deleted', async () => {
    const theme = await create('/api/v1/themes', { name: 'Hemligt tema' })
    const org = await create('/api/v1/organisations', { name: 'Kvarvarande kommun', kind: 'municipality', theme_ids: [theme.id] })
    const parent = await create('/api/v1/organisations', { name: 'Borttagen moder', kind: 'authority' })
    const child = await create('/api/v1/organisations', { name: 'Dotterenhet', kind: 'authority', parent_id: parent.id })
    const person = await create('/api/v1/contacts', { first_name: 'Sittande', last_name: 'Ledamot' })
    const body = await create('/api/v1/bodies', { name: 'Borttagen styrgrupp', kind: 'working_group', seats: [{ contact_id: person.id, organisation_id: org.id }] })
    const seatId = ((await (await api('GET', `/api/v1/bodies/${body.id}`)).json()) as { seats: { id: string }[] }).seats[0]!.id
    const alliance = await create('/api/v1/alliances', { name: 'Borttagen allians', status: 'active', members: [{ organisation_id: org.id, role: 'lead' }] })
    const memberId = ((await (await api('GET', `/api/v1/alliances/${alliance.id}`)).json()) as { members: { id: string }[] }).members[0]!.id
    const project = await create('/api/v1/projects', { name: 'Borttaget projekt', lead_organisation_id: org.id })
    const other = await create('/api/v1/organisations', { name: 'Borttagen partner', kind: 'ngo' })
    await create('/api/v1/activities', { title: 'Gemensam träff', status: 'done', start_date: '2024-03-01', participants: [{ organisation_id: org.id, attendance: 'attended' }, { organisation_id: other.id, attendance: 'attended' }] })
    const [lo, hi] = [org.id, other.id].sort()

    await edgeIsGone(`seat:${seatId}`, `/api/v1/bodies/${body.id}`, 'Borttagen styrgrupp')
    await edgeIsGone(`am:${memberId}`, `/api/v1/alliances/${alliance.id}`, 'Borttagen allians')
    await edgeIsGone(`pp:${project.id}:${org.id}`, `/api/v1/projects/${project.id}`, 'Borttaget projekt')
    await edgeIsGone(`th:${org.id}:${theme.id}`, `/api/v1/themes/${theme.id}`, 'Hemligt tema')
    await edgeIsGone(`parent:${child.id}`, `/api/v1/organisations/${parent.id}`, 'Borttagen moder')
    await edgeIsGone(`co:${lo}:${hi}`, `/api/v1/organisations/${other.id}`, 'Borttagen partner')
  })
})
