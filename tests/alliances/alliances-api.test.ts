import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, day } from './helpers.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  h = apiOf(t, editor)
})
afterAll(() => t.close())

const errorFields = async (res: Response) => {
  expect(res.status).toBe(400)
  return (await res.json()).error.fields as Record<string, string>
}
const auditOf = async (id: string) =>
  (await (await h.api('GET', `/api/v1/audit?entity_type=alliance&entity_id=${id}`, undefined, admin)).json()).data as {
    action: string
    user_id: string
    changes: Record<string, [unknown, unknown]>
  }[]
const historyOf = async (id: string) => (await h.get(`/api/v1/alliances/${id}/status-history`)).data as {
  from: string | null
  to: string
  at: string
  user_id: string
  user_name: string
  reason: string | null
}[]

describe('alliances API: lifecycle and status history', () => {
  it('creates an alliance with members and commitments, and records who formed it and why', async () => {
    const [mv, rk] = [await h.organisation('Migrationsverket'), await h.organisation('Röda Korset', 'ngo')]
    const person = await h.contact('Lena', 'Fiktiv')
    const res = await h.api('POST', '/api/v1/alliances', {
      name: 'Hälsa för nyanlända', purpose: 'Hälsokommunikatörer i hela landet', start_date: '2026-01-01', review_date: '2026-12-01',
      next_step: 'Möte om gemensam ansökan', links: [{ label: 'Avsiktsförklaring', url: 'www.example.se/avsikt.pdf' }, { url: 'https://example.org' }],
      members: [{ organisation_id: mv.id, role: 'lead', contact_id: person.id }, { organisation_id: rk.id, role: 'partner' }],
      commitments: [{ organisation_id: rk.id, description: 'Utbilda tio kommunikatörer', due_date: '2026-05-01' }],
      status_reason: 'Idé från styrgruppen',
    })
    expect(res.status).toBe(201)
    const a = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/alliances/${a.id}`)
    expect(a).toMatchObject({
      name: 'Hälsa för nyanlända', status: 'exploring', version: 1, start_date: '2026-01-01', end_date: null, review_date: '2026-12-01',
      links: [{ label: 'Avsiktsförklaring', url: 'https://www.example.se/avsikt.pdf' }, { label: 'https://example.org/', url: 'https://example.org/' }],
      theme_ids: [],
    })
    expect(a.members).toEqual([
      { id: expect.any(String), organisation_id: mv.id, role: 'lead', contact_id: person.id, start_date: null, end_date: null },
      { id: expect.any(String), organisation_id: rk.id, role: 'partner', contact_id: null, start_date: null, end_date: null },
    ])
    expect(a.commitments).toEqual([
      { id: expect.any(String), organisation_id: rk.id, description: 'Utbilda tio kommunikatörer', due_date: '2026-05-01', status: 'open', done_at: null },
    ])
    expect(await historyOf(a.id)).toEqual([
      { from: null, to: 'exploring', at: expect.any(String), user_id: editor.user.id, user_name: editor.user.name, reason: 'Idé från styrgruppen' },
    ])
  })

  it('keeps each status change with who, when and why, newest first, and bumps the version', async () => {
    const a = await h.alliance({ name: 'Länsnätverket' })
    let res = await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'proposed', reason: 'Förslag till styrgruppen', version: 1 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'proposed', version: 2 })
    res = await h.api('PATCH', `/api/v1/alliances/${a.id}`, { status: 'active', status_reason: 'Beslut i styrgruppen', version: 2 }, admin)
    expect(res.status).toBe(200)
    const history = await historyOf(a.id)
    expect(history.map((x) => [x.from, x.to, x.reason, x.user_id])).toEqual([
      ['proposed', 'active', 'Beslut i styrgruppen', admin.user.id],
      ['exploring', 'proposed', 'Förslag till styrgruppen', editor.user.id],
      [null, 'exploring', null, editor.user.id],
    ])
    expect(Date.parse(history[0]!.at)).toBeGreaterThanOrEqual(Date.parse(history[1]!.at))
    expect(history[0]!.at).toMatch(/T.*(Z|[+-]\d\d:\d\d)$/)
  })

  it('writes nothing when the status is moved to where it already is', async () => {
    const a = await h.alliance({ name: 'Oförändrad', status: 'active' })
    const res = await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'active', reason: null, version: 1 })
    expect(await res.json()).toMatchObject({ status: 'active', version: 1 })
    expect(await historyOf(a.id)).toHaveLength(1)
  })

  it('replaces the commitments on PATCH keeping their ids, and notes when one was done', async () => {
    const org = await h.organisation('Integrationsverket')
    const a = await h.alliance({
      name: 'Metodbanken', members: [{ organisation_id: org.id, role: 'lead' }],
      commitments: [{ organisation_id: org.id, description: 'Samla metoder', due_date: '2026-03-01' }, { organisation_id: org.id, description: 'Skriva rapport' }],
    })
    const kept = a.commitments.find((k: { description: string }) => k.description === 'Samla metoder')
    const res = await h.api('PATCH', `/api/v1/alliances/${a.id}`, {
      version: 1, commitments: [{ ...kept, done_at: undefined, status: 'done' }, { organisation_id: org.id, description: 'Sprida metoderna', due_date: '2026-09-01' }],
    })
    expect(res.status).toBe(200)
    const after = await res.json()
    expect(after.commitments.map((k: { description: string }) => k.description).sort()).toEqual(['Samla metoder', 'Sprida metoderna'])
    const done = after.commitments.find((k: { id: string }) => k.id === kept.id)
    expect(done).toMatchObject({ status: 'done', done_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
    // A PATCH that leaves the commitments out keeps them as they are.
    const renamed = await (await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 2, name: 'Metodbanken 2.0' })).json()
    expect(renamed.commitments).toEqual(after.commitments)
    expect(renamed.members).toEqual(after.members)
  })

  it('refuses a done_at sent by the client: it is read-only', async () => {
    const org = await h.organisation('Skolverket')
    const fields = await errorFields(await h.api('POST', '/api/v1/alliances', {
      name: 'X', members: [{ organisation_id: org.id, role: 'lead' }],
      commitments: [{ organisation_id: org.id, description: 'Y', done_at: '2026-01-01T00:00:00Z' }],
    }))
    expect(fields).toEqual({ 'commitments.0.done_at': 'Okänt fält.' })
  })
})

describe('alliances API: validation', () => {
  it('refuses a commitment by an organisation that is not a member, on create and on PATCH', async () => {
    const [member, outsider] = [await h.organisation('Länsstyrelsen i Kalmar län', 'county_board'), await h.organisation('Malmö stad', 'municipality')]
    const body = {
      name: 'Kalmarsamverkan', members: [{ organisation_id: member.id, role: 'lead' }],
      commitments: [{ organisation_id: member.id, description: 'Samordna' }, { organisation_id: outsider.id, description: 'Bidra med lokaler' }],
    }
    expect(await errorFields(await h.api('POST', '/api/v1/alliances', body))).toEqual({
      'commitments.1.organisation_id': 'Bara en medlem i alliansen kan ha ett åtagande.',
    })
    const a = await h.alliance({ ...body, commitments: body.commitments.slice(0, 1) })
    // Removing the member who still has a commitment is refused too.
    expect(await errorFields(await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 1, members: [{ organisation_id: outsider.id, role: 'lead' }] }))).toEqual({
      'commitments.0.organisation_id': 'Bara en medlem i alliansen kan ha ett åtagande.',
    })
    expect((await h.get(`/api/v1/alliances/${a.id}`)).version).toBe(1)
  })

  it('refuses the same organisation twice among the members', async () => {
    const org = await h.organisation('Region Skåne', 'region')
    const fields = await errorFields(await h.api('POST', '/api/v1/alliances', {
      name: 'Dubbel', members: [{ organisation_id: org.id, role: 'lead' }, { organisation_id: org.id, role: 'supporter' }],
    }))
    expect(fields).toEqual({ 'members.1.organisation_id': 'Organisationen är redan medlem.' })
  })

  it('refuses deleted or unknown organisations and contacts, an end before the start, and unknown fields', async () => {
    const gone = await h.organisation('Nedlagda verket')
    await h.api('DELETE', `/api/v1/organisations/${gone.id}`)
    const fields = await errorFields(await h.api('POST', '/api/v1/alliances', {
      name: 'Felaktig', start_date: '2026-05-01', end_date: '2026-04-01',
      members: [{ organisation_id: gone.id, role: 'partner', contact_id: '00000000-0000-4000-8000-000000000001' }],
    }))
    expect(fields).toEqual({ end_date: 'Slutdatumet kan inte vara före startdatumet.' })
    const refs = await errorFields(await h.api('POST', '/api/v1/alliances', {
      name: 'Felaktig', members: [{ organisation_id: gone.id, role: 'partner', contact_id: '00000000-0000-4000-8000-000000000001' }],
    }))
    expect(refs).toEqual({ 'members.0.organisation_id': 'Finns inte (eller är borttagen).', 'members.0.contact_id': 'Finns inte (eller är borttagen).' })
    expect(Object.keys(await errorFields(await h.api('POST', '/api/v1/alliances', { name: '', status: 'paused', colour: 'red' }))).sort()).toEqual(['colour', 'name', 'status'])
    // An end before the start that exists only after a PATCH is caught too.
    const a = await h.alliance({ name: 'Datumkoll', start_date: '2026-05-01' })
    expect(await errorFields(await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 1, end_date: '2026-01-01' }))).toEqual({
      end_date: 'Slutdatumet kan inte vara före startdatumet.',
    })
  })

  it('answers a stale version with 409 and changes nothing, not even the members or the history', async () => {
    const [a1, a2] = [await h.organisation('Arbetsförmedlingen'), await h.organisation('Försäkringskassan')]
    const a = await h.alliance({ name: 'Etablering', members: [{ organisation_id: a1.id, role: 'lead' }] })
    expect((await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 1, notes: 'Först' })).status).toBe(200)
    const stale = await h.api('PATCH', `/api/v1/alliances/${a.id}`, {
      version: 1, name: 'Annat namn', members: [{ organisation_id: a2.id, role: 'lead' }], status: 'ended',
    })
    expect(stale.status).toBe(409)
    expect((await stale.json()).error.code).toBe('conflict')
    expect((await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'active', reason: 'sent', version: 1 })).status).toBe(409)
    const now = await h.get(`/api/v1/alliances/${a.id}`)
    expect(now).toMatchObject({ name: 'Etablering', status: 'exploring', version: 2, notes: 'Först' })
    expect(now.members.map((m: { organisation_id: string }) => m.organisation_id)).toEqual([a1.id])
    expect(await historyOf(a.id)).toHaveLength(1)
    expect((await auditOf(a.id)).map((r) => r.action)).toEqual(['update', 'create'])
  })
})

describe('alliances API: delete, restore and audit', () => {
  it('writes one audit row per action, members and commitments in the same row as the fields', async () => {
    const [org, other] = [await h.organisation('Socialstyrelsen'), await h.organisation('Folkhälsomyndigheten')]
    const a = await h.alliance({
      name: 'Psykisk hälsa', members: [{ organisation_id: org.id, role: 'lead' }], commitments: [{ organisation_id: org.id, description: 'Kartlägga' }],
    })
    const res = await h.api('PATCH', `/api/v1/alliances/${a.id}`, {
      version: 1, purpose: 'Stöd till traumatiserade',
      members: [...a.members, { organisation_id: other.id, role: 'supporter' }],
      commitments: [...a.commitments.map((k: Record<string, unknown>) => ({ ...k, done_at: undefined })), { organisation_id: other.id, description: 'Finansiera' }],
    })
    expect(res.status).toBe(200)
    await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'active', reason: null, version: 2 })
    const audit = await auditOf(a.id)
    expect(audit.map((r) => r.action)).toEqual(['update', 'update', 'create'])
    expect(Object.keys(audit[2]!.changes)).toEqual(expect.arrayContaining(['name', 'members', 'commitments']))
    expect(Object.keys(audit[1]!.changes).sort()).toEqual(['commitments', 'members', 'purpose'])
    const [, members] = audit[1]!.changes.members as { organisation_id: string; role: string }[][]
    expect(members!.map((m) => m.role).sort()).toEqual(['lead', 'supporter'])
    expect(audit[0]!.changes).toEqual({ status: ['exploring', 'active'] })
  })

  it('hides a deleted alliance from the list and GET, and lets only an admin restore it', async () => {
    const a = await h.alliance({ name: 'Tillfällig allians' })
    expect((await h.api('DELETE', `/api/v1/alliances/${a.id}`)).status).toBe(204)
    expect((await h.api('GET', `/api/v1/alliances/${a.id}`)).status).toBe(404)
    expect((await h.get('/api/v1/alliances?q=tillfallig')).data).toEqual([])
    expect((await h.api('POST', `/api/v1/alliances/${a.id}/restore`)).status).toBe(403)
    const restored = await h.api('POST', `/api/v1/alliances/${a.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).version).toBe(3)
    expect((await h.get('/api/v1/alliances?q=tillfallig')).data.map((x: { id: string }) => x.id)).toEqual([a.id])
    expect((await auditOf(a.id)).map((r) => [r.action, r.user_id])).toEqual([['restore', admin.user.id], ['delete', editor.user.id], ['create', editor.user.id]])
  })
})

describe('alliances API: lists', () => {
  it('filters by status, theme, member organisation and text, sorts by next review with undated last, and pages by keyset', async () => {
    const theme = await h.create('/api/v1/themes', { name: 'Bostad' })
    const org = await h.organisation('Boverket')
    const made = [
      await h.alliance({ name: 'Listtest C', status: 'active', review_date: '2026-03-01', theme_ids: [theme.id], members: [{ organisation_id: org.id, role: 'lead' }] }),
      await h.alliance({ name: 'Listtest A', status: 'dormant', review_date: '2026-02-01' }),
      await h.alliance({ name: 'Listtest B', status: 'active' }),
      await h.alliance({ name: 'Listtest Ö', status: 'active', review_date: '2026-02-01' }),
    ]
    const names = (r: { data: { name: string }[] }) => r.data.map((x) => x.name)
    expect(names(await h.get('/api/v1/alliances?q=listtest&sort=review'))).toEqual(['Listtest A', 'Listtest Ö', 'Listtest C', 'Listtest B'])
    expect(names(await h.get('/api/v1/alliances?q=listtest'))).toEqual(['Listtest A', 'Listtest B', 'Listtest C', 'Listtest Ö'])
    expect(names(await h.get('/api/v1/alliances?q=listtest&sort=status'))).toEqual(['Listtest B', 'Listtest C', 'Listtest Ö', 'Listtest A'])
    expect(names(await h.get('/api/v1/alliances?q=listtest&status=dormant&status=active&theme_id=' + theme.id))).toEqual(['Listtest C'])
    expect(names(await h.get(`/api/v1/alliances?organisation_id=${org.id}`))).toEqual(['Listtest C'])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { name: string }[]; next_cursor: string | null } = await h.get(`/api/v1/alliances?q=listtest&sort=review&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...names(page))
      cursor = page.next_cursor
    } while (cursor)
    expect(seen).toEqual(['Listtest A', 'Listtest Ö', 'Listtest C', 'Listtest B'])
    expect(made).toHaveLength(4)
  })

  it('exports the filtered list as CSV with members and counted commitments', async () => {
    const org = await h.organisation('Kommunförbundet Skåne', 'other')
    await h.alliance({
      name: 'CSV-alliansen', members: [{ organisation_id: org.id, role: 'lead' }],
      commitments: [{ organisation_id: org.id, description: 'Sent', due_date: day(-3) }, { organisation_id: org.id, description: 'Senare', due_date: day(30) }],
    })
    const res = await h.api('GET', '/api/v1/alliances?q=csv-alliansen&format=csv')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(text.startsWith('\uFEFFid,name,status')).toBe(true)
    expect(text).toContain('CSV-alliansen,exploring')
    expect(text).toContain('Kommunförbundet Skåne (lead),2,1')
  })
})
