import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORIGIN, testApp, type TestApp } from '../helpers/app.ts'
import { apiAs, type Who } from '../privacy/helpers.ts'

let t: TestApp
let viewer: Who
let editor: Who
let admin: Who
let api: ReturnType<typeof apiAs>
const p = {} as Record<'anna' | 'bo' | 'cia' | 'dan' | 'eva' | 'fia', { id: string }>
let board: { id: string }
let ngo: { id: string }
let alliance: { id: string }
let body: { id: string }
let seminar: { id: string }
let list: { id: string }

const person = (first: string, last: string, extra: object = {}) =>
  api.ok(editor, 'POST', '/api/v1/contacts', { first_name: first, last_name: last, email: `${first}.${last}@example.se`.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""), ...extra })

beforeAll(async () => {
  t = await testApp()
  ;[viewer, editor, admin] = [await t.apiToken('viewer'), await t.apiToken('editor'), await t.apiToken('admin')]
  api = apiAs(t)
  board = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Länsstyrelsen Skåne', kind: 'county_board', county: 'Skåne län' })
  ngo = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Rädda Barnen', kind: 'ngo', county: 'Stockholms län' })
  const at = (org: { id: string }, role: string) => ({ affiliations: [{ organisation_id: org.id, role }] })
  // Officials at the county board: one by their own county, one by the board's, one who left.
  p.anna = await person('Anna', 'Ek', { categories: ['official'], title: 'Integrationsstrateg', tags: ['asyl'], ...at(board, 'Handläggare') })
  p.bo = await person('Bo', 'Lind', { categories: ['official'], county: 'Skåne län', ...at(board, 'Enhetschef') })
  p.cia = await person('Cia', 'Alm', { categories: ['official'], affiliations: [{ organisation_id: board.id, role: 'Handläggare', end_date: '2020-12-31' }] })
  p.dan = await person('Dan', 'Ask', { categories: ['practitioner'], ...at(ngo, 'Samordnare') })
  p.eva = await person('Eva', 'Björk', { categories: ['official'], protected_identity: true, ...at(board, 'Handläggare') })
  p.fia = await person('Fia', 'Gran', { categories: ['official'], ...at(board, 'Handläggare') })
  await api.ok(admin, 'POST', `/api/v1/contacts/${p.fia.id}/erase`, { confirm: 'Fia Gran', mode: 'restrict' }, 200)
  alliance = await api.ok(editor, 'POST', '/api/v1/alliances', { name: 'Välkomstalliansen', status: 'active', members: [{ organisation_id: ngo.id, role: 'lead' }] })
  body = await api.ok(editor, 'POST', '/api/v1/bodies', { name: 'Styrgruppen', kind: 'steering_group', seats: [{ contact_id: p.bo.id, organisation_id: board.id }] })
  seminar = await api.ok(editor, 'POST', '/api/v1/activities', {
    title: 'Seminarium om mottagande', type: 'seminar', status: 'done', start_date: '2026-10-01',
    participants: [{ contact_id: p.anna.id, role: 'participant', attendance: 'attended' }, { contact_id: p.dan.id, role: 'participant', attendance: 'no_show' }],
  })
  list = await api.ok(editor, 'POST', '/api/v1/newsletter/lists', { name: 'Nyhetsbrev asyl & integration' })
  await t.db.insertInto('newsletter_subscriptions').values([
    { list_id: list.id, contact_id: p.dan.id, status: 'subscribed', confirmed_at: new Date() },
    { list_id: list.id, contact_id: p.bo.id, status: 'pending' },
  ]).execute()
})
afterAll(() => t.close())

const members = async (id: string, who = viewer) => (await api.ok(who, 'GET', `/api/v1/segments/${id}/members?limit=200`)).data.map((c: { id: string }) => c.id).sort()
const segment = (filter: object, extra: object = {}) => api.ok(editor, 'POST', '/api/v1/segments', { name: `Urval ${Math.random()}`, filter, ...extra })
const sorted = (...names: (keyof typeof p)[]) => names.map((n) => p[n].id).sort()

describe('saved segments: membership resolved in SQL at use time', () => {
  it('officials in Skåne: by their own county or a current affiliation, never the protected or the restricted', async () => {
    const s = await segment({ categories: ['official'], counties: ['Skåne län'] })
    expect(await members(s.id)).toEqual(sorted('anna', 'bo'))
    // Whoever asks: an admin, who sees both in the contact list, does not get them as members.
    expect(await members(s.id, admin)).toEqual(sorted('anna', 'bo'))
    expect(await api.ok(viewer, 'GET', `/api/v1/segments/${s.id}/count`)).toEqual({ count: 2 })
  })

  it('each filter the lists have selects people', async () => {
    const cases: [object, (keyof typeof p)[]][] = [
      [{ title: 'strateg' }, ['anna']],
      [{ title: 'ENHETSCHEF' }, ['bo']], // a current role, case-insensitive
      [{ title: 'handläggare' }, ['anna']], // Cia's role ended; Eva and Fia are never members
      [{ tags: ['asyl'] }, ['anna']],
      [{ affiliated_kinds: ['ngo'] }, ['dan']],
      [{ organisation_ids: [board.id] }, ['anna', 'bo']],
      [{ alliance_ids: [alliance.id] }, ['dan']], // through his organisation's membership
      [{ body_ids: [body.id] }, ['bo']],
      [{ activity_ids: [seminar.id] }, ['anna', 'dan']],
      [{ activity_ids: [seminar.id], attendance: ['attended'] }, ['anna']],
      [{ attendance: ['no_show'] }, ['dan']],
      [{ list_ids: [list.id] }, ['dan']], // confirmed subscribers only
      [{ categories: ['official'], tags: ['asyl'] }, ['anna']], // fields combine with AND
      [{ categories: ['official', 'practitioner'] }, ['anna', 'bo', 'cia', 'dan']], // values within one: any
    ]
    for (const [filter, expected] of cases) expect(await members((await segment(filter)).id), JSON.stringify(filter)).toEqual(sorted(...expected))
  })

  it('explicit additions and exclusions; an empty filter is its additions alone; the protected stay out even when added', async () => {
    const s = await segment({ categories: ['official'] }, { include_ids: [p.dan.id, p.eva.id], exclude_ids: [p.cia.id] })
    expect(await members(s.id)).toEqual(sorted('anna', 'bo', 'dan'))
    const only = await segment({}, { include_ids: [p.cia.id] })
    expect(await members(only.id)).toEqual(sorted('cia'))
  })

  it('is resolved when used: a new matching person is a member at once', async () => {
    const s = await segment({ tags: ['nyanlända'] })
    expect(await members(s.id)).toEqual([])
    const g = await person('Gun', 'Rönn', { tags: ['nyanlända'] })
    expect(await members(s.id)).toEqual([g.id])
  })

  it('counts an unsaved definition (the live count while editing)', async () => {
    expect(await api.ok(viewer, 'POST', '/api/v1/segments/count', { filter: { categories: ['official'] }, include_ids: [p.dan.id] }, 200)).toEqual({ count: 4 })
    expect((await api.call(viewer, 'POST', '/api/v1/segments/count', { filter: { kinds: ['ngo'] } })).status).toBe(400)
  })

  it('CRUD: validated, versioned, audited, soft-deleted and restored by an admin', async () => {
    const bad = await api.call(editor, 'POST', '/api/v1/segments', { name: '', filter: { categories: ['king'], theme_ids: ['x'] }, secret: 1 })
    expect(bad.status).toBe(400)
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(['filter.categories.0', 'filter.theme_ids.0', 'name', 'secret'])
    const unknown = await api.call(editor, 'POST', '/api/v1/segments', { name: 'X', filter: { alliance_ids: [crypto.randomUUID()] } })
    expect(unknown.status).toBe(400)
    expect(Object.keys((await unknown.json()).error.fields)).toEqual(['filter.alliance_ids'])
    expect((await api.call(viewer, 'POST', '/api/v1/segments', { name: 'X' })).status).toBe(403)

    const res = await api.call(editor, 'POST', '/api/v1/segments', { name: 'Länsstyrelsernas tjänstepersoner', filter: { categories: ['official'], counties: [] } })
    const s = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/segments/${s.id}`)
    expect(s).toMatchObject({ version: 1, filter: { categories: ['official'] }, include_ids: [], exclude_ids: [] })
    const changed = await api.ok(editor, 'PATCH', `/api/v1/segments/${s.id}`, { version: 1, filter: { categories: ['official'], counties: ['Skåne län'] } })
    expect(changed.version).toBe(2)
    expect((await api.call(editor, 'PATCH', `/api/v1/segments/${s.id}`, { version: 1, name: 'Stale' })).status).toBe(409)
    // The service names the problem by message key; the API says it in the reader's language.
    const missing = await api.call(editor, 'POST', '/api/v1/segments', { name: 'Y', include_ids: [crypto.randomUUID()] })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error.fields.include_ids).toMatch(/^(Finns inte \(eller är borttagen\)\.|Does not exist \(or is deleted\)\.)$/)
    const audit = (await api.ok(admin, 'GET', `/api/v1/audit?entity_type=segment&entity_id=${s.id}`)).data
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual(['create', 'update'])
    expect(audit.find((a: { action: string }) => a.action === 'update').changes.filter[1]).toEqual({ categories: ['official'], counties: ['Skåne län'] })

    const listed = (await api.ok(viewer, 'GET', '/api/v1/segments?q=tjänstepersoner')).data
    expect(listed).toMatchObject([{ id: s.id, member_count: 2 }])
    // Folded as every search folds: typed without its ä.
    expect((await api.ok(viewer, 'GET', '/api/v1/segments?q=TJANSTEPERSONER')).data).toMatchObject([{ id: s.id }])
    expect((await api.call(editor, 'DELETE', `/api/v1/segments/${s.id}`)).status).toBe(204)
    expect((await api.call(viewer, 'GET', `/api/v1/segments/${s.id}`)).status).toBe(404)
    expect((await api.call(viewer, 'GET', `/api/v1/segments/${s.id}/members`)).status).toBe(404)
    expect(await api.ok(admin, 'POST', `/api/v1/segments/${s.id}/restore`, undefined, 200)).toMatchObject({ id: s.id })
  })

  it('the members as CSV, audited as a personal-data export, and as a filter of the contact list', async () => {
    const s = await segment({ categories: ['official'], counties: ['Skåne län'] })
    const res = await api.call(editor, 'GET', `/api/v1/segments/${s.id}/members?format=csv`)
    expect(res.status).toBe(200)
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as { id: string; last_name: string }[]
    expect(rows.map((r) => r.id).sort()).toEqual(sorted('anna', 'bo'))
    const exports = (await api.ok(admin, 'GET', `/api/v1/audit?action=export&user_id=${editor.user.id}`)).data
    expect(exports[0].changes).toMatchObject({ list: [null, `/api/v1/segments/${s.id}/members`], rows: [null, 2] })
    const viaContacts = (await api.ok(viewer, 'GET', `/api/v1/contacts?segment_id=${s.id}`)).data.map((c: { id: string }) => c.id).sort()
    expect(viaContacts).toEqual(sorted('anna', 'bo'))
  })

  it('filters the network graph JSON: people only if members, other nodes as they were', async () => {
    const s = await segment({ categories: ['official'], counties: ['Skåne län'] })
    const graph = await api.ok(admin, 'GET', `/api/v1/network?types=organisation,contact&cluster=none&segment=${s.id}`)
    const people = graph.nodes.filter((n: { type: string }) => n.type === 'contact').map((n: { id: string }) => n.id).sort()
    expect(people).toEqual(sorted('anna', 'bo'))
    expect(graph.nodes.some((n: { id: string }) => n.id === board.id)).toBe(true)
    const all = await api.ok(admin, 'GET', '/api/v1/network?types=organisation,contact&cluster=none')
    expect(all.nodes.filter((n: { type: string }) => n.type === 'contact').length).toBeGreaterThan(2)
    expect((await api.call(admin, 'GET', `/api/v1/network?segment=${crypto.randomUUID()}`)).status).toBe(404)
  })
})

describe('segment pages', () => {
  const get = async (path: string, cookie: string) => {
    const res = await t.request(path, { headers: { cookie } })
    return { status: res.status, html: await res.text() }
  }
  const post = (path: string, fields: [string, string][], cookie: string, htmx = false) =>
    t.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin', cookie, ...(htmx ? { 'hx-request': 'true' } : {}) },
      body: new URLSearchParams(fields).toString(),
    })

  it('an editor makes a segment with the form, sees the live count while editing, and its members on its page', async () => {
    const { cookie } = await t.browser('editor')
    const form = await get('/segments/new', cookie)
    expect(form.status).toBe(200)
    expect(form.html).toContain('hx-post="/segments/count"')
    const count = await post('/segments/count', [['name', ''], ['categories', 'official'], ['counties', 'Skåne län']], cookie, true)
    expect(count.status).toBe(200)
    expect(await count.text()).toContain('2 personer ingår')
    const none = await post('/segments/count', [['tags', 'finns-inte']], cookie, true)
    expect(await none.text()).toContain('0 personer ingår')

    const saved = await post('/segments', [['name', 'Skånes tjänstepersoner'], ['categories', 'official'], ['counties', 'Skåne län'], ['include_ids', p.dan.id]], cookie)
    expect(saved.status).toBe(303)
    const at = saved.headers.get('location')!
    const page = await get(at, cookie)
    expect(page.status).toBe(200)
    expect(page.html).toContain('3 personer ingår')
    for (const name of ['Ek, Anna', 'Lind, Bo', 'Ask, Dan']) expect(page.html).toContain(name)
    expect(page.html).not.toContain('Björk')
    const paged = await get(`${at}?limit=2`, cookie)
    expect(paged.html).toMatch(/rel="next" href="\/segments\/[0-9a-f-]{36}\?limit=2&amp;cursor=/)
    const listPage = await get('/segments', cookie)
    expect(listPage.html).toContain('Skånes tjänstepersoner')
    const invalid = await post('/segments', [['name', ''], ['counties', 'Atlantis']], cookie)
    expect(invalid.status).toBe(422)
    // Saved meanwhile by someone else: 409, what was typed kept, the stored name beside it.
    const stale = await post(at, [['name', 'Skånes tjänstepersoner, nytt namn'], ['categories', 'official'], ['version', '0']], cookie)
    expect(stale.status).toBe(409)
    const staleHtml = await stale.text()
    expect(staleHtml).toContain('value="Skånes tjänstepersoner, nytt namn"')
    expect(staleHtml).toContain('name="version" value="1"')
  })
})
