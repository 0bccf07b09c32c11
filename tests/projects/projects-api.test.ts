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
const organisation = (name: string, kind = 'authority') => create('/api/v1/organisations', { name, kind })
const ids = (body: { data: { id: string }[] }) => body.data.map((r) => r.id)
const list = async (query: string) => (await api('GET', `/api/v1/projects?${query}`, undefined, viewer)).json()
const auditOf = async (id: string) =>
  (await (await api('GET', `/api/v1/audit?entity_type=project&entity_id=${id}`, undefined, admin)).json()).data as {
    action: string
    changes: Record<string, [unknown, unknown]>
  }[]

describe('projects API', () => {
  it('creates a project with its lead and partners, answers it with Location, and reads it back', async () => {
    const [up, mv, iv] = [
      await organisation('Utvecklingspartnerskapet ReKOMP', 'partnership'), await organisation('Migrationsverket'), await organisation('Integrationsverket'),
    ]
    const res = await api('POST', '/api/v1/projects', {
      name: 'ReKOMP – hälsokommunikatörer', programme: 'equal', start_date: '2002-07-01', end_date: '2005-06-30', status: 'finished',
      lead_organisation_id: up.id, partners: [{ organisation_id: mv.id, role: 'medfinansiär' }, { organisation_id: iv.id }],
      evaluation: 'Extern utvärdering visar att metoden når nyanlända.', notes: 'Intern anteckning',
    })
    expect(res.status).toBe(201)
    const project = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/projects/${project.id}`)
    expect(project).toMatchObject({
      name: 'ReKOMP – hälsokommunikatörer', programme: 'equal', status: 'finished', start_date: '2002-07-01', end_date: '2005-06-30',
      lead_organisation_id: up.id, theme_ids: [], version: 1,
    })
    expect(project.partners.map((p: { organisation_id: string; role: string | null }) => [p.organisation_id, p.role]).sort()).toEqual(
      [[mv.id, 'medfinansiär'], [iv.id, null]].sort(),
    )
    expect(await (await api('GET', `/api/v1/projects/${project.id}`, undefined, viewer)).json()).toEqual(project)
  })

  it('defaults to a running project without partners, and refuses a missing name, an unknown programme and unknown fields', async () => {
    const plain = await create('/api/v1/projects', { name: 'Nationellt projekt' })
    expect(plain).toMatchObject({ status: 'running', programme: null, partners: [], lead_organisation_id: null })
    const bad = await api('POST', '/api/v1/projects', { name: '  ', programme: 'interreg', colour: 'blå' })
    expect(bad.status).toBe(400)
    const fields = (await bad.json()).error.fields
    expect(Object.keys(fields).sort()).toEqual(['colour', 'name', 'programme'])
    expect(fields.name).toBe('Fyll i fältet.')
  })

  it('refuses an end before the start, the same partner twice, and a deleted or unknown organisation', async () => {
    const [a, gone] = [await organisation('Länsstyrelsen i Skåne län', 'county_board'), await organisation('Arbetsmarknadsstyrelsen')]
    await api('DELETE', `/api/v1/organisations/${gone.id}`)
    const backwards = await api('POST', '/api/v1/projects', { name: 'Baklänges', start_date: '2005-01-01', end_date: '2004-12-31' })
    expect((await backwards.json()).error.fields.end_date).toBe('Slutdatumet kan inte vara före startdatumet.')
    const twice = await api('POST', '/api/v1/projects', { name: 'Dubbel', partners: [{ organisation_id: a.id }, { organisation_id: a.id, role: 'utvärderare' }] })
    expect((await twice.json()).error.fields['partners.1.organisation_id']).toBe('Organisationen finns redan bland partnerna.')
    const missing = await api('POST', '/api/v1/projects', {
      name: 'Borttagna', lead_organisation_id: gone.id, partners: [{ organisation_id: a.id }, { organisation_id: '00000000-0000-4000-8000-000000000001' }],
    })
    expect(missing.status).toBe(400)
    expect(Object.keys((await missing.json()).error.fields).sort()).toEqual(['lead_organisation_id', 'partners.1.organisation_id'])
  })

  it('replaces the partners on PATCH in one audited change, keeps them when not sent, and writes nothing for an unchanged list', async () => {
    const [a, b, c] = [await organisation('Svenska ESF-rådet'), await organisation('Rädda Barnen', 'ngo'), await organisation('Röda korset', 'ngo')]
    const project = await create('/api/v1/projects', { name: 'Barnens bästa', programme: 'erf', partners: [{ organisation_id: a.id, role: 'finansiär' }] })
    const partnerId = project.partners[0].id
    const res = await api('PATCH', `/api/v1/projects/${project.id}`, {
      version: 1, status: 'finished',
      partners: [{ id: partnerId, organisation_id: a.id, role: 'medfinansiär' }, { organisation_id: b.id }, { organisation_id: c.id, role: 'utförare' }],
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const after = await res.json()
    expect(after.version).toBe(2)
    expect(after.partners).toHaveLength(3)
    expect(after.partners.find((p: { id: string }) => p.id === partnerId)).toMatchObject({ organisation_id: a.id, role: 'medfinansiär' })
    const audit = await auditOf(project.id)
    expect(audit.map((r) => r.action)).toEqual(['update', 'create'])
    expect(Object.keys(audit[0]!.changes).sort()).toEqual(['partners', 'status'])
    const [was, now] = audit[0]!.changes.partners as { role: string | null }[][]
    expect(was!.map((p) => p.role)).toEqual(['finansiär'])
    expect(now!.map((p) => p.role).sort()).toEqual(['medfinansiär', 'utförare', null].sort())
    expect(audit[1]!.changes.partners).toEqual([null, [{ organisation_id: a.id, role: 'finansiär' }]])

    const renamed = await (await api('PATCH', `/api/v1/projects/${project.id}`, { version: 2, name: 'Barnens bästa i Stockholm' })).json()
    expect(renamed.partners).toHaveLength(3)
    const same = await (await api('PATCH', `/api/v1/projects/${project.id}`, { version: 3, partners: after.partners })).json()
    expect(same.partners.map((p: { id: string }) => p.id).sort()).toEqual(after.partners.map((p: { id: string }) => p.id).sort())
    const audit2 = await auditOf(project.id)
    expect(Object.keys(audit2[0]!.changes)).toEqual(['name'])
    expect(audit2).toHaveLength(3)
  })

  it('answers a stale version with 409 and changes nothing, partners included', async () => {
    const a = await organisation('Boverket')
    const project = await create('/api/v1/projects', { name: 'Eget boende' })
    expect((await api('PATCH', `/api/v1/projects/${project.id}`, { version: 1, name: 'Eget boende för asylsökande' })).status).toBe(200)
    const stale = await api('PATCH', `/api/v1/projects/${project.id}`, { version: 1, name: 'Något annat', partners: [{ organisation_id: a.id }] })
    expect(stale.status).toBe(409)
    expect((await stale.json()).error.code).toBe('conflict')
    const now = await (await api('GET', `/api/v1/projects/${project.id}`)).json()
    expect(now).toMatchObject({ name: 'Eget boende för asylsökande', version: 2, partners: [] })
  })

  it('filters by programme, status, theme, lead or partner organisation and words, repeated values meaning any of', async () => {
    const theme = await create('/api/v1/themes', { name: 'Validering' })
    const [lead, partner, other] = [await organisation('UP Kompetensbron', 'partnership'), await organisation('Högskoleverket'), await organisation('Skolverket')]
    const p1 = await create('/api/v1/projects', { name: 'Kompetensbron', programme: 'equal', status: 'finished', lead_organisation_id: lead.id, theme_ids: [theme.id] })
    const p2 = await create('/api/v1/projects', { name: 'Valideringslänken', programme: 'esf', status: 'running', partners: [{ organisation_id: partner.id }] })
    const p3 = await create('/api/v1/projects', { name: 'Nordisk idébank', programme: 'nordic', status: 'planned', partners: [{ organisation_id: other.id }] })
    expect(ids(await list('programme=equal&programme=esf'))).toEqual(expect.arrayContaining([p1.id, p2.id]))
    expect(ids(await list('programme=equal&programme=esf'))).not.toContain(p3.id)
    expect(ids(await list('status=planned'))).toEqual([p3.id])
    expect(ids(await list(`theme_id=${theme.id}`))).toEqual([p1.id])
    expect(ids(await list(`organisation_id=${lead.id}&organisation_id=${partner.id}`)).sort()).toEqual([p1.id, p2.id].sort())
    expect(ids(await list('q=idebank'))).toEqual([p3.id])
    expect((await api('GET', '/api/v1/projects?status=paused')).status).toBe(400)
  })

  it('pages by keyset with next_cursor, in Swedish order', async () => {
    for (const name of ['Öppna dörrar', 'Ädelt arbete', 'Zebra', 'Åter i arbete']) await create('/api/v1/projects', { name, programme: 'other' })
    const first = await list('programme=other&limit=2')
    expect(first.data.map((p: { name: string }) => p.name)).toEqual(['Zebra', 'Åter i arbete'])
    const second = await list(`programme=other&limit=2&cursor=${first.next_cursor}`)
    expect(second.data.map((p: { name: string }) => p.name)).toEqual(['Ädelt arbete', 'Öppna dörrar'])
    expect(second.next_cursor).toBeNull()
  })

  it('exports the whole filtered list as CSV with a BOM, the lead and the partners by name', async () => {
    const [lead, partner] = [await organisation('UP Hälsa i fokus', 'partnership'), await organisation('Folkhälsomyndigheten')]
    await create('/api/v1/projects', { name: 'Hälsa i fokus', programme: 'amif', lead_organisation_id: lead.id, partners: [{ organisation_id: partner.id, role: 'expert' }] })
    const res = await api('GET', '/api/v1/projects?format=csv&programme=amif')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(csv.startsWith('\uFEFFid,name,programme,status')).toBe(true)
    expect(csv).toContain('Hälsa i fokus,amif,running')
    expect(csv).toContain('UP Hälsa i fokus,Folkhälsomyndigheten (expert)')
    expect(csv.trim().split('\r\n')).toHaveLength(2)
  })

  it('deletes softly, only an admin restores, and the audit log tells it all', async () => {
    const project = await create('/api/v1/projects', { name: 'Tolk och trygghet' })
    expect((await api('DELETE', `/api/v1/projects/${project.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/projects/${project.id}`)).status).toBe(404)
    expect(ids(await list('q=trygghet'))).toEqual([])
    expect((await api('POST', `/api/v1/projects/${project.id}/restore`)).status).toBe(403)
    expect(ids(await (await api('GET', '/api/v1/projects?deleted=1', undefined, admin)).json())).toContain(project.id)
    const restored = await api('POST', `/api/v1/projects/${project.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).version).toBe(3)
    expect((await auditOf(project.id)).map((a) => a.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('lets a viewer read but not write', async () => {
    expect((await api('GET', '/api/v1/projects', undefined, viewer)).status).toBe(200)
    expect((await api('POST', '/api/v1/projects', { name: 'Nej' }, viewer)).status).toBe(403)
  })
})
