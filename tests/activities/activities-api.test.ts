import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, auditOf, type Api } from './helpers.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
let h: Api
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  viewer = await t.apiToken('viewer')
  h = apiOf(t, editor)
})
afterAll(() => t.close())

const fieldsOf = async (res: Response) => {
  expect(res.status).toBe(400)
  const body = await res.json()
  expect(body.error.code).toBe('validation')
  return body.error.fields as Record<string, string>
}

async function product(title: string) {
  return t.db.insertInto('products').values({ title, kind: 'method', sort_name: title.toLowerCase() }).returning('id').executeTakeFirstOrThrow()
}

async function body(name: string) {
  return t.db.insertInto('bodies').values({ name, kind: 'working_group', sort_name: name.toLowerCase() }).returning('id').executeTakeFirstOrThrow()
}

describe('activities API: records and validation', () => {
  it('creates a seminar with participants, themes and a product, answering 201 with a Location', async () => {
    const org = await h.organisation('Länsstyrelsen i Jönköpings län', { kind: 'county_board', county: 'Jönköpings län' })
    const anna = await h.contact('Anna', 'Fiktivsson')
    const theme = await h.create('/api/v1/themes', { name: 'Hälsa' })
    const method = await product('Hälsokommunikatörsmetoden')
    const res = await h.api('POST', '/api/v1/activities', {
      title: 'Seminarium om hälsokommunikatörer', type: 'seminar', status: 'planned', start_date: '2026-03-10', location: 'Jönköping',
      level: 'horizontal', theme_ids: [theme.id], product_ids: [method.id], audience_size: 45,
      participants: [
        { contact_id: anna.id, role: 'speaker', attendance: 'registered' },
        { organisation_id: org.id, role: 'organiser' },
      ],
    })
    expect(res.status).toBe(201)
    const a = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/activities/${a.id}`)
    expect(a).toMatchObject({
      title: 'Seminarium om hälsokommunikatörer', type: 'seminar', status: 'planned', start_date: '2026-03-10', end_date: null,
      location: 'Jönköping', online: false, level: 'horizontal', theme_ids: [theme.id], product_ids: [method.id], audience_size: 45,
      outcome: null, version: 1,
      influence: { organisation_id: null, body_id: null, request: null, result: null, evidence: null, result_date: null },
    })
    expect(a.participants).toEqual([
      { id: expect.any(String), contact_id: null, organisation_id: org.id, role: 'organiser', attendance: 'invited' },
      { id: expect.any(String), contact_id: anna.id, organisation_id: null, role: 'speaker', attendance: 'registered' },
    ])
    expect(await h.get(`/api/v1/activities/${a.id}`)).toEqual(a)
  })

  it('defaults an activity to planned, of type other, with no participants', async () => {
    const a = await h.activity({ title: 'Nyhetsbrev mars' })
    expect(a).toMatchObject({ type: 'other', status: 'planned', participants: [], theme_ids: [], product_ids: [], online: false })
  })

  it('refuses an end date before the start date', async () => {
    const fields = await fieldsOf(await h.api('POST', '/api/v1/activities', { title: 'Konferens', start_date: '2026-05-02', end_date: '2026-05-01' }))
    expect(fields.end_date).toBe('Slutdatumet kan inte vara före startdatumet.')
  })

  it('refuses an unknown product or theme, naming the field', async () => {
    const missing = '00000000-0000-4000-8000-000000000001'
    const fields = await fieldsOf(await h.api('POST', '/api/v1/activities', { title: 'Rapport', product_ids: [missing], theme_ids: [missing] }))
    expect(fields).toMatchObject({ product_ids: 'Finns inte (eller är borttagen).', theme_ids: 'Finns inte (eller är borttagen).' })
  })

  it('refuses a participant with neither a person nor an organisation', async () => {
    const fields = await fieldsOf(await h.api('POST', '/api/v1/activities', { title: 'Workshop', participants: [{ role: 'participant' }] }))
    expect(fields['participants.0.contact_id']).toBe('En deltagare är en person, en organisation eller båda.')
  })

  it('refuses the same person twice, an unknown type, and unknown fields', async () => {
    const p = await h.contact('Per', 'Påhittad')
    let fields = await fieldsOf(await h.api('POST', '/api/v1/activities', { title: 'Kurs', participants: [{ contact_id: p.id }, { contact_id: p.id }] }))
    expect(fields['participants.1.contact_id']).toBe('Finns redan bland deltagarna.')
    fields = await fieldsOf(await h.api('POST', '/api/v1/activities', { title: 'Kurs', type: 'picnic', colour: 'red' }))
    expect(Object.keys(fields).sort()).toEqual(['colour', 'type'])
  })

  it('lets a viewer read but not write', async () => {
    const a = await h.activity({ title: 'Läsbar' })
    expect((await h.api('GET', `/api/v1/activities/${a.id}`, undefined, viewer)).status).toBe(200)
    expect((await h.api('POST', '/api/v1/activities', { title: 'Nej' }, viewer)).status).toBe(403)
  })
})

describe('activities API: updates', () => {
  it('replaces the participants on PATCH, keeping the ids of those sent back, in one audit row', async () => {
    const [a1, a2, a3] = [await h.contact('Ada', 'Ek'), await h.contact('Bo', 'Ek'), await h.contact('Cia', 'Ek')]
    const a = await h.activity({ title: 'Workshop i Malmö', participants: [{ contact_id: a1.id }, { contact_id: a2.id }] })
    const keep = a.participants.find((p: { contact_id: string }) => p.contact_id === a1.id)
    const res = await h.api('PATCH', `/api/v1/activities/${a.id}`, {
      version: 1,
      participants: [{ id: keep.id, contact_id: a1.id, attendance: 'attended' }, { contact_id: a3.id }],
    })
    expect(res.status).toBe(200)
    const b = await res.json()
    expect(b.version).toBe(2)
    const kept = b.participants.find((p: { contact_id: string }) => p.contact_id === a1.id)
    expect(kept).toMatchObject({ id: keep.id, attendance: 'attended' })
    expect(b.participants.map((p: { contact_id: string }) => p.contact_id).sort()).toEqual([a1.id, a3.id].sort())
    const audit = await auditOf(h, a.id, admin)
    expect(audit.map((r) => r.action)).toEqual(['create', 'update'])
    const [before, after] = audit[1]!.changes.participants as [{ count: number }, Record<string, unknown>]
    expect(before).toEqual({ count: 2 })
    expect(after).toMatchObject({ count: 2, added: 1, removed: 1, changed: 1, changed_ids: [keep.id] })
  })

  it('leaves the participants alone when a PATCH does not mention them', async () => {
    const c = await h.contact('Dan', 'Ek')
    const a = await h.activity({ title: 'Kurs i Umeå', participants: [{ contact_id: c.id }] })
    const b = await (await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, status: 'done' })).json()
    expect(b).toMatchObject({ status: 'done', version: 2 })
    expect(b.participants).toEqual(a.participants)
  })

  it('answers a stale version with 409 and changes nothing', async () => {
    const a = await h.activity({ title: 'Studiebesök' })
    expect((await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, title: 'Studiebesök i Oslo' })).status).toBe(200)
    const res = await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, title: 'Studiebesök i Köpenhamn' })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('conflict')
    expect((await h.get(`/api/v1/activities/${a.id}`)).title).toBe('Studiebesök i Oslo')
  })

  it('keeps the influence record of vertical work, and changes only what a PATCH names of it', async () => {
    const ministry = await h.organisation('Arbetsmarknadsdepartementet', { kind: 'ministry' })
    const group = await body('Samrådsgruppen för etablering')
    const a = await h.activity({
      title: 'Remissvar på etableringsutredningen', type: 'policy_input', level: 'vertical', start_date: '2026-02-01',
      influence: { organisation_id: ministry.id, body_id: group.id, request: 'Hälsokommunikatörer i etableringen', result: 'unknown' },
    })
    expect(a.influence).toEqual({
      organisation_id: ministry.id, body_id: group.id, request: 'Hälsokommunikatörer i etableringen', result: 'unknown', evidence: null, result_date: null,
    })
    const res = await h.api('PATCH', `/api/v1/activities/${a.id}`, {
      version: 1, influence: { result: 'partly', evidence: 'Prop. 2026/27:10, avsnitt 5', result_date: '2026-09-15' },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).influence).toEqual({
      organisation_id: ministry.id, body_id: group.id, request: 'Hälsokommunikatörer i etableringen', result: 'partly',
      evidence: 'Prop. 2026/27:10, avsnitt 5', result_date: '2026-09-15',
    })
    const fields = await fieldsOf(await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 2, influence: { body_id: ministry.id } }))
    expect(fields['influence.body_id']).toBe('Finns inte (eller är borttagen).')
    const cleared = await (await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 2, influence: null })).json()
    expect(cleared.influence).toEqual({ organisation_id: null, body_id: null, request: null, result: null, evidence: null, result_date: null })
  })
})

describe('activities API: lists, deletion and restore', () => {
  it('filters by type, status, level and period, and sorts by date, newest first', async () => {
    const t2 = await testApp()
    const ed = await t2.apiToken('editor')
    const k = apiOf(t2, ed)
    try {
      await k.activity({ title: 'A', type: 'seminar', status: 'done', level: 'horizontal', start_date: '2026-01-10' })
      await k.activity({ title: 'B', type: 'conference', status: 'planned', level: 'vertical', start_date: '2026-02-01', end_date: '2026-02-03' })
      await k.activity({ title: 'C', type: 'seminar', status: 'cancelled', start_date: '2026-03-01' })
      await k.activity({ title: 'D', type: 'report' })
      const titles = async (q: string) => ((await k.get(`/api/v1/activities${q}`)).data as { title: string }[]).map((x) => x.title)
      expect(await titles('')).toEqual(['C', 'B', 'A', 'D'])
      expect(await titles('?sort=date&dir=asc')).toEqual(['A', 'B', 'C', 'D'])
      expect(await titles('?type=seminar')).toEqual(['C', 'A'])
      expect(await titles('?type=seminar&type=report')).toEqual(['C', 'A', 'D'])
      expect(await titles('?status=planned')).toEqual(['B', 'D'])
      expect(await titles('?level=vertical')).toEqual(['B'])
      // The conference ran 1–3 February: a period from the 2nd still has it.
      expect(await titles('?from=2026-02-02&to=2026-02-28')).toEqual(['B'])
      const page1 = await k.get('/api/v1/activities?limit=2')
      const page2 = await k.get(`/api/v1/activities?limit=2&cursor=${page1.next_cursor}`)
      expect([...page1.data, ...page2.data].map((x: { title: string }) => x.title)).toEqual(['C', 'B', 'A', 'D'])
      expect(page2.next_cursor).toBeNull()
      const res = await k.api('GET', '/api/v1/activities?format=csv&type=conference')
      const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
      expect(csv.startsWith('\uFEFFid,title,type')).toBe(true)
      expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2)
    } finally {
      await t2.close()
    }
  })

  it('hides a deleted activity and lets an admin restore it', async () => {
    const a = await h.activity({ title: 'Synlighetsevenemang i Almedalen', type: 'visibility_event' })
    expect((await h.api('DELETE', `/api/v1/activities/${a.id}`)).status).toBe(204)
    expect((await h.api('GET', `/api/v1/activities/${a.id}`)).status).toBe(404)
    expect((await h.get('/api/v1/activities?q=almedalen')).data).toEqual([])
    expect((await h.api('POST', `/api/v1/activities/${a.id}/restore`)).status).toBe(403)
    const res = await h.api('POST', `/api/v1/activities/${a.id}/restore`, undefined, admin)
    expect(res.status).toBe(200)
    expect((await h.get('/api/v1/activities?q=almedalen')).data.map((x: { id: string }) => x.id)).toEqual([a.id])
    expect((await auditOf(h, a.id, admin)).map((r) => r.action)).toEqual(['create', 'delete', 'restore'])
  })
})
