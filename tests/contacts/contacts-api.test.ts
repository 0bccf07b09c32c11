import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return res.json()
}
const contact = (body: Record<string, unknown>) => create('/api/v1/contacts', body)
const organisation = (name: string, kind = 'authority') => create('/api/v1/organisations', { name, kind })
const get = async (path: string) => (await api('GET', path)).json()
const errorFields = async (res: Response) => {
  expect(res.status).toBe(400)
  return (await res.json()).error.fields as Record<string, string>
}
const auditOf = async (id: string) =>
  (await (await api('GET', `/api/v1/audit?entity_type=contact&entity_id=${id}`, undefined, admin)).json()).data as {
    action: string
    changes: Record<string, [unknown, unknown]>
  }[]
const names = (list: { data: { first_name: string; last_name: string }[] }) => list.data.map((c) => `${c.first_name} ${c.last_name}`)

describe('contacts API: creating and validating', () => {
  it('creates a contact with normalised phone and e-mail, and defaults for the lists', async () => {
    const res = await api('POST', '/api/v1/contacts', { first_name: 'Karin', last_name: 'Lindqvist', email: 'Karin.Lindqvist@Example.se', phone: '036-10 50 00', county: 'jönköpings län', categories: ['practitioner', 'practitioner', 'official'] })
    expect(res.status).toBe(201)
    const c = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/contacts/${c.id}`)
    expect(c).toMatchObject({
      first_name: 'Karin', last_name: 'Lindqvist', email: 'karin.lindqvist@example.se', phone: '+4636105000', county: 'Jönköpings län',
      categories: ['practitioner', 'official'], affiliations: [], tags: [], theme_ids: [], merged_into_id: null, version: 1,
    })
    expect(c.created_at).toMatch(/T.*(Z|[+-]\d\d:\d\d)$/)
    // What the create answers is the record as stored, field for field (without affiliations it is
    // not read back: the inserted row is answered).
    expect(c).toEqual(await get(`/api/v1/contacts/${c.id}`))
    const org = await organisation('Svarsverket')
    const working = await contact({ first_name: 'Per', last_name: 'Svarsson', affiliations: [{ organisation_id: org.id, role: 'handläggare' }] })
    expect(working).toEqual(await get(`/api/v1/contacts/${working.id}`))
  })

  it('needs a first or a last name, and says so on both fields', async () => {
    const fields = await errorFields(await api('POST', '/api/v1/contacts', { first_name: '  ', email: 'nobody@example.se' }))
    expect(Object.keys(fields).sort()).toEqual(['first_name', 'last_name'])
    expect(fields.first_name).toBe('Fyll i förnamn eller efternamn.')
    expect((await contact({ last_name: 'Ekström' })).first_name).toBeNull()
  })

  it('refuses an unknown category, a phone number that cannot be read, and unknown fields', async () => {
    const fields = await errorFields(await api('POST', '/api/v1/contacts', { first_name: 'Per', categories: ['journalist'], phone: '12', shoe_size: 44 }))
    expect(Object.keys(fields).sort()).toEqual(['categories.0', 'phone', 'shoe_size'])
  })

  it('keeps e-mail addresses unique among live contacts, whatever their case', async () => {
    const first = await contact({ first_name: 'Maja', last_name: 'Holm', email: 'maja.holm@example.se' })
    const fields = await errorFields(await api('POST', '/api/v1/contacts', { first_name: 'Maja', last_name: 'Holm', email: 'MAJA.Holm@example.SE' }))
    expect(fields.email).toBe('E-postadressen används redan.')
    const other = await contact({ first_name: 'Olle', last_name: 'Holm' })
    expect((await errorFields(await api('PATCH', `/api/v1/contacts/${other.id}`, { version: 1, email: 'Maja.Holm@example.se' }))).email).toBeTruthy()
    await api('DELETE', `/api/v1/contacts/${first.id}`)
    expect((await contact({ first_name: 'Maja', last_name: 'Holm', email: 'maja.holm@example.se' })).email).toBe('maja.holm@example.se')
  })
})

describe('contacts API: affiliations', () => {
  it('records where a person works now and before, marking the single current one primary', async () => {
    const [now, before] = [await organisation('Migrationsverket'), await organisation('Länsstyrelsen i Kalmar län', 'county_board')]
    const c = await contact({
      first_name: 'Sara', last_name: 'Nyström',
      affiliations: [
        { organisation_id: before.id, role: 'Integrationshandläggare', start_date: '2015-02-01', end_date: '2019-12-31' },
        { organisation_id: now.id, role: 'Enhetschef', start_date: '2020-01-01' },
      ],
    })
    expect(c.affiliations).toEqual([
      { id: expect.any(String), organisation_id: now.id, role: 'Enhetschef', start_date: '2020-01-01', end_date: null, primary: true },
      { id: expect.any(String), organisation_id: before.id, role: 'Integrationshandläggare', start_date: '2015-02-01', end_date: '2019-12-31', primary: false },
    ])
    expect(names(await get(`/api/v1/contacts?organisation_id=${now.id}`))).toEqual(['Sara Nyström'])
    expect(names(await get(`/api/v1/contacts?organisation_id=${before.id}`))).toEqual([])
  })

  it('replaces the set on PATCH, keeping the ids sent back, in one audited change', async () => {
    const [a, b, d] = [await organisation('Röda Korset', 'ngo'), await organisation('Malmö stad', 'municipality'), await organisation('Region Skåne', 'region')]
    const c = await contact({ first_name: 'Jonas', last_name: 'Berg', affiliations: [{ organisation_id: a.id }, { organisation_id: b.id, role: 'Samordnare' }] })
    const kept = c.affiliations.find((x: { organisation_id: string }) => x.organisation_id === b.id)
    const res = await api('PATCH', `/api/v1/contacts/${c.id}`, {
      version: 1, title: 'Samordnare',
      affiliations: [{ ...kept, role: 'Verksamhetsutvecklare', primary: true }, { organisation_id: d.id, start_date: '2024-03-01' }],
    })
    expect(res.status).toBe(200)
    const after = await res.json()
    expect(after.version).toBe(2)
    expect(after.affiliations.map((x: { organisation_id: string }) => x.organisation_id).sort()).toEqual([b.id, d.id].sort())
    expect(after.affiliations.find((x: { id: string }) => x.id === kept.id)).toMatchObject({ role: 'Verksamhetsutvecklare', primary: true })
    const audit = await auditOf(c.id)
    expect(audit.map((r) => r.action)).toEqual(['update', 'create'])
    expect(Object.keys(audit[0]!.changes).sort()).toEqual(['affiliations', 'title'])
    const [was, now] = audit[0]!.changes.affiliations as { organisation_id: string; role: string | null }[][]
    expect(was!.map((x) => x.organisation_id).sort()).toEqual([a.id, b.id].sort())
    expect(now!.find((x) => x.organisation_id === b.id)!.role).toBe('Verksamhetsutvecklare')
  })

  it('refuses an end before the start, an unknown organisation and two primary affiliations', async () => {
    const org = await organisation('Integrationsverket')
    const fields = await errorFields(await api('POST', '/api/v1/contacts', {
      first_name: 'Eva',
      affiliations: [
        { organisation_id: org.id, start_date: '2020-05-01', end_date: '2020-04-30' },
        { organisation_id: '00000000-0000-4000-8000-000000000001' },
      ],
    }))
    expect(fields).toEqual({ 'affiliations.0.end_date': 'Slutdatumet kan inte vara före startdatumet.' })
    const unknown = await errorFields(await api('POST', '/api/v1/contacts', { first_name: 'Eva', affiliations: [{ organisation_id: '00000000-0000-4000-8000-000000000001' }] }))
    expect(unknown).toEqual({ 'affiliations.0.organisation_id': 'Finns inte (eller är borttagen).' })
    const two = await errorFields(await api('POST', '/api/v1/contacts', { first_name: 'Eva', affiliations: [{ organisation_id: org.id, primary: true }, { organisation_id: org.id, primary: true }] }))
    expect(Object.keys(two)).toEqual(['affiliations.1.primary'])
    const badDate = await errorFields(await api('POST', '/api/v1/contacts', { first_name: 'Eva', affiliations: [{ organisation_id: org.id, start_date: '1 maj 2020' }] }))
    expect(Object.keys(badDate)).toEqual(['affiliations.0.start_date'])
  })
})

describe('contacts API: updating and deleting', () => {
  it('patches only what is sent, and a stale version changes nothing', async () => {
    const org = await organisation('Svenska ESF-rådet')
    const c = await contact({ first_name: 'Lina', last_name: 'Sjöberg', tags: ['esf'], categories: ['researcher'], affiliations: [{ organisation_id: org.id }] })
    const res = await api('PATCH', `/api/v1/contacts/${c.id}`, { version: 1, title: 'Utredare' })
    expect(await res.json()).toMatchObject({ title: 'Utredare', tags: ['esf'], categories: ['researcher'], affiliations: [{ organisation_id: org.id }], version: 2 })
    const stale = await api('PATCH', `/api/v1/contacts/${c.id}`, { version: 1, first_name: 'Linnea', affiliations: [] })
    expect(stale.status).toBe(409)
    expect((await stale.json()).error.code).toBe('conflict')
    expect(await get(`/api/v1/contacts/${c.id}`)).toMatchObject({ first_name: 'Lina', version: 2, affiliations: [{ organisation_id: org.id }] })
  })

  it('refuses a patch that would leave the contact without a name', async () => {
    const c = await contact({ first_name: 'Ahmed' })
    expect(Object.keys(await errorFields(await api('PATCH', `/api/v1/contacts/${c.id}`, { version: 1, first_name: null }))).sort()).toEqual(['first_name', 'last_name'])
  })

  it('deletes softly, an admin restores, and the audit log tells it all', async () => {
    const c = await contact({ first_name: 'Tillfällig', last_name: 'Person' })
    expect((await api('DELETE', `/api/v1/contacts/${c.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/contacts/${c.id}`)).status).toBe(404)
    expect(names(await get('/api/v1/contacts?q=tillfallig'))).toEqual([])
    expect((await api('POST', `/api/v1/contacts/${c.id}/restore`)).status).toBe(403)
    expect((await api('POST', `/api/v1/contacts/${c.id}/restore`, undefined, admin)).status).toBe(200)
    expect(names(await get('/api/v1/contacts?q=tillfallig'))).toEqual(['Tillfällig Person'])
    expect((await auditOf(c.id)).map((a) => a.action)).toEqual(['restore', 'delete', 'create'])
  })
})

describe('contacts API: lists', () => {
  it('filters by category (repeat means any of) and by tag', async () => {
    await contact({ first_name: 'Nils', last_name: 'Ek', categories: ['decision_maker'], tags: ['kat'] })
    await contact({ first_name: 'Ida', last_name: 'Ek', categories: ['media', 'other'], tags: ['kat'] })
    await contact({ first_name: 'Ola', last_name: 'Ek', categories: ['practitioner'], tags: ['kat'] })
    expect(names(await get('/api/v1/contacts?tag=kat&category=decision_maker&category=media'))).toEqual(['Ida Ek', 'Nils Ek'])
    expect((await api('GET', '/api/v1/contacts?category=journalist')).status).toBe(400)
  })

  it('sorts by surname the Swedish way (Å and Ö after Z) and pages by keyset', async () => {
    for (const [first, last] of [['Åsa', 'Åberg'], ['Anna', 'Zetterlund'], ['Örjan', 'Öhman'], ['Bo', 'Andersson'], ['Elsa', 'Zetterlund']]) {
      await contact({ first_name: first, last_name: last, tags: ['sortering'] })
    }
    const expected = ['Bo Andersson', 'Anna Zetterlund', 'Elsa Zetterlund', 'Åsa Åberg', 'Örjan Öhman']
    expect(names(await get('/api/v1/contacts?tag=sortering'))).toEqual(expected)
    const page1 = await get('/api/v1/contacts?tag=sortering&limit=3')
    const page2 = await get(`/api/v1/contacts?tag=sortering&limit=3&cursor=${page1.next_cursor}`)
    expect([...names(page1), ...names(page2)]).toEqual(expected)
    expect(page2.next_cursor).toBeNull()
    expect(names(await get('/api/v1/contacts?tag=sortering&dir=desc')).reverse()).toEqual(expected)
  })

  it('finds "jonkoping" in a title with accents, and a person by e-mail', async () => {
    await contact({ first_name: 'Hanna', last_name: 'Lund', title: 'Integrationssamordnare, Jönköpings kommun', email: 'hanna.lund@example.org' })
    expect(names(await get('/api/v1/contacts?q=jonkoping'))).toContain('Hanna Lund')
    expect(names(await get('/api/v1/contacts?q=hanna.lund@example'))).toEqual(['Hanna Lund'])
  })

  it('exports every matching row as CSV with a BOM, not just one page', async () => {
    const res = await api('GET', '/api/v1/contacts?format=csv&tag=sortering&limit=1')
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(text.startsWith('\uFEFFid,first_name,last_name,')).toBe(true)
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(1 + 5)
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['Andersson', 'Zetterlund', 'Zetterlund', 'Åberg', 'Öhman'])
  })
})
