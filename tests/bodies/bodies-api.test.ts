import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  viewer = await t.apiToken('viewer')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
const organisation = (name: string) => create('/api/v1/organisations', { name, kind: 'authority' })
const contact = (first_name: string, last_name: string) => create('/api/v1/contacts', { first_name, last_name })
const auditOf = async (id: string) =>
  (await (await api('GET', `/api/v1/audit?entity_type=body&entity_id=${id}`, undefined, admin)).json()).data as {
    action: string
    changes: Record<string, [unknown, unknown]>
  }[]

describe('bodies API', () => {
  it('creates a body with seats, answers it with Location, and lists it by kind, member and organisation', async () => {
    const [org, anna, bo] = [await organisation('Migrationsverket'), await contact('Anna', 'Alm'), await contact('Bo', 'Berg')]
    const res = await api('POST', '/api/v1/bodies', {
      name: 'Styrgruppen för NTG-asyl', kind: 'steering_group', description: 'Beslutar om inriktning',
      seats: [
        { contact_id: anna.id, organisation_id: org.id, role: 'chair', start_date: '2003-01-01' },
        { contact_id: bo.id, start_date: '2002-01-01', end_date: '2002-12-31' },
      ],
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/bodies/${body.id}`)
    expect(body).toMatchObject({ name: 'Styrgruppen för NTG-asyl', kind: 'steering_group', version: 1 })
    expect(body.seats).toHaveLength(2)
    expect(body.seats.find((s: { contact_id: string }) => s.contact_id === bo.id)).toMatchObject({ role: 'member', organisation_id: null, end_date: '2002-12-31' })

    const byKind = await (await api('GET', '/api/v1/bodies?kind=steering_group&kind=network', undefined, viewer)).json()
    expect(byKind.data.map((b: { id: string }) => b.id)).toContain(body.id)
    expect((await (await api('GET', '/api/v1/bodies?kind=working_group')).json()).data).toEqual([])
    expect((await (await api('GET', `/api/v1/bodies?contact_id=${bo.id}`)).json()).data.map((b: { id: string }) => b.id)).toEqual([body.id])
    expect((await (await api('GET', `/api/v1/bodies?organisation_id=${org.id}`)).json()).data.map((b: { id: string }) => b.id)).toEqual([body.id])
    expect((await (await api('GET', '/api/v1/bodies?q=ntg')).json()).data.map((b: { id: string }) => b.id)).toEqual([body.id])
    const csv = await (await api('GET', '/api/v1/bodies?format=csv')).text()
    expect(csv).toContain('Styrgruppen för NTG-asyl,steering_group')
    expect(csv).toContain('Anna Alm (chair, 2003-01-01–)')
  })

  it('refuses a person holding two overlapping seats in one body, but allows consecutive ones', async () => {
    const c = await contact('Cecilia', 'Cronholm')
    const overlapping = await api('POST', '/api/v1/bodies', {
      name: 'Referensgruppen', kind: 'reference_group',
      seats: [
        { contact_id: c.id, role: 'member', start_date: '2004-01-01', end_date: '2005-12-31' },
        { contact_id: c.id, role: 'chair', start_date: '2005-12-31' },
      ],
    })
    expect(overlapping.status).toBe(400)
    const err = await overlapping.json()
    expect(err.error.fields['seats.1.contact_id']).toBe('Personen har redan en plats i organet under en period som överlappar den här.')
    const open = await api('POST', '/api/v1/bodies', {
      name: 'Referensgruppen', kind: 'reference_group',
      seats: [{ contact_id: c.id }, { contact_id: c.id, role: 'chair', start_date: '2010-01-01' }],
    })
    expect(open.status).toBe(400)
    const consecutive = await create('/api/v1/bodies', {
      name: 'Referensgruppen', kind: 'reference_group',
      seats: [
        { contact_id: c.id, role: 'member', start_date: '2004-01-01', end_date: '2005-12-30' },
        { contact_id: c.id, role: 'chair', start_date: '2005-12-31' },
      ],
    })
    expect(consecutive.seats).toHaveLength(2)
  })

  it('refuses unknown fields, a seat ending before it starts, and a deleted contact or organisation', async () => {
    const [org, c] = [await organisation('Integrationsverket'), await contact('Dan', 'Dahl')]
    await api('DELETE', `/api/v1/organisations/${org.id}`)
    const res = await api('POST', '/api/v1/bodies', { name: 'Arbetsgrupp', kind: 'working_group', colour: 'blue' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields.colour).toBeDefined()
    const backwards = await api('POST', '/api/v1/bodies', {
      name: 'Arbetsgrupp', kind: 'working_group', seats: [{ contact_id: c.id, start_date: '2005-01-01', end_date: '2004-01-01' }],
    })
    expect((await backwards.json()).error.fields['seats.0.end_date']).toBe('Slutdatumet kan inte vara före startdatumet.')
    const deleted = await api('POST', '/api/v1/bodies', {
      name: 'Arbetsgrupp', kind: 'working_group', seats: [{ contact_id: c.id, organisation_id: org.id }, { contact_id: '00000000-0000-4000-8000-000000000001' }],
    })
    expect(deleted.status).toBe(400)
    const fields = (await deleted.json()).error.fields
    expect(Object.keys(fields).sort()).toEqual(['seats.0.organisation_id', 'seats.1.contact_id'])
  })

  it('replaces the seats on PATCH keeping the ids sent back, in one audited change, and leaves them alone when not sent', async () => {
    const [a, b] = [await contact('Eva', 'Ek'), await contact('Filip', 'Fors')]
    const body = await create('/api/v1/bodies', { name: 'Nätverket', kind: 'network', seats: [{ contact_id: a.id, role: 'member' }] })
    const seatId = body.seats[0].id
    const res = await api('PATCH', `/api/v1/bodies/${body.id}`, {
      version: 1, description: 'Hela nätverket',
      seats: [{ id: seatId, contact_id: a.id, role: 'chair' }, { contact_id: b.id, role: 'secretary', start_date: '2006-01-01' }],
    })
    expect(res.status).toBe(200)
    const after = await res.json()
    expect(after.version).toBe(2)
    expect(after.seats.find((s: { id: string }) => s.id === seatId)).toMatchObject({ contact_id: a.id, role: 'chair' })
    const audit = await auditOf(body.id)
    expect(audit.map((r) => r.action)).toEqual(['update', 'create'])
    expect(Object.keys(audit[0]!.changes).sort()).toEqual(['description', 'seats'])
    const [was, now] = audit[0]!.changes.seats as { role: string }[][]
    expect(was!.map((s) => s.role)).toEqual(['member'])
    expect(now!.map((s) => s.role).sort()).toEqual(['chair', 'secretary'])

    const renamed = await (await api('PATCH', `/api/v1/bodies/${body.id}`, { version: 2, name: 'Nationella nätverket' })).json()
    expect(renamed.seats).toHaveLength(2)
    expect(Object.keys((await auditOf(body.id))[0]!.changes)).toEqual(['name'])
  })

  it('answers a stale version with 409 and changes nothing', async () => {
    const body = await create('/api/v1/bodies', { name: 'ETG', kind: 'thematic_group' })
    expect((await api('PATCH', `/api/v1/bodies/${body.id}`, { version: 1, name: 'Europeiska tematiska gruppen' })).status).toBe(200)
    const stale = await api('PATCH', `/api/v1/bodies/${body.id}`, { version: 1, name: 'Något annat' })
    expect(stale.status).toBe(409)
    expect((await stale.json()).error.code).toBe('conflict')
    expect((await (await api('GET', `/api/v1/bodies/${body.id}`)).json()).name).toBe('Europeiska tematiska gruppen')
  })

  it('deletes softly, only an admin restores, and the audit log tells it all', async () => {
    const body = await create('/api/v1/bodies', { name: 'Nationella kontaktpunkter', kind: 'contact_points' })
    expect((await api('DELETE', `/api/v1/bodies/${body.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/bodies/${body.id}`)).status).toBe(404)
    expect((await (await api('GET', '/api/v1/bodies?q=kontaktpunkter')).json()).data).toEqual([])
    expect((await api('POST', `/api/v1/bodies/${body.id}/restore`)).status).toBe(403)
    expect((await (await api('GET', '/api/v1/bodies?deleted=1', undefined, admin)).json()).data.map((b: { id: string }) => b.id)).toContain(body.id)
    const restored = await api('POST', `/api/v1/bodies/${body.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).version).toBe(3)
    expect((await auditOf(body.id)).map((a) => a.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('lets a viewer read but not write', async () => {
    expect((await api('GET', '/api/v1/bodies', undefined, viewer)).status).toBe(200)
    expect((await api('POST', '/api/v1/bodies', { name: 'X', kind: 'other' }, viewer)).status).toBe(403)
  })
})
