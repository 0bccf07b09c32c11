import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seatsForPage } from '../../src/bodies/bodies.repo.ts'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { pageWithSections } from '../helpers/sections.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const page = (path: string, cookie = editor.cookie, headers: Record<string, string> = {}) => pageWithSections(t.request, path, { headers: { cookie, ...headers } })
const post = (path: string, fields: Record<string, string>, cookie = editor.cookie) => t.request(path, formPost(fields, cookie))
const apiCreate = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
const organisation = (name: string) => apiCreate('/api/v1/organisations', { name, kind: 'authority' })
const contact = (first_name: string, last_name: string) => apiCreate('/api/v1/contacts', { first_name, last_name })
/** The HTML after the heading with this text, up to the next heading. */
const section = (html: string, heading: string) => html.split(new RegExp(`<h[23][^>]*>${heading}</h[23]>`))[1]?.split(/<h[123][ >]/)[0] ?? ''

describe('body pages', () => {
  it('says what to do when there are no bodies yet, and is in the menu', async () => {
    const html = await (await page('/bodies')).text()
    expect(html).toContain('Det finns inga organ ännu.')
    expect(html).toContain('href="/bodies/new"')
    expect(html).toContain('<a href="/bodies" aria-current="page">Organ</a>')
  })

  it('creates a body with seats from the form and shows current and past members with their periods', async () => {
    const [org, anna, bo] = [await organisation('Länsstyrelsen i Östergötlands län'), await contact('Anna', 'Ahl'), await contact('Bo', 'Bark')]
    const form = await (await page('/bodies/new')).text()
    expect(form).toContain('<legend>Plats 1</legend>')
    expect(form).not.toContain('<legend>Plats 2</legend>')
    expect(form).toContain('hx-get="/contacts/options"')
    expect(form).toContain('data-options-url="/organisations/options?format=json"')
    const res = await post('/bodies', {
      name: 'Referensgrupp Östergötland', kind: 'reference_group', description: '',
      'seats.0.contact_id': anna.id, 'seats.0.organisation_id': org.id, 'seats.0.role': 'chair', 'seats.0.start_date': '2003-02-01', 'seats.0.end_date': '',
      'seats.1.contact_id': bo.id, 'seats.1.organisation_id': '', 'seats.1.role': 'secretary', 'seats.1.start_date': '2002-01-01', 'seats.1.end_date': '2002-12-31',
      'seats.2.contact_id': '', 'seats.2.organisation_id': '', 'seats.2.role': 'member', 'seats.2.start_date': '', 'seats.2.end_date': '', q: '',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/bodies\/[0-9a-f-]{36}$/)
    const html = await (await page(location)).text()
    const current = section(html, 'Nuvarande ledamöter')
    expect(current).toContain(`<a href="/contacts/${anna.id}">Anna Ahl</a>`)
    expect(current).toContain('Ordförande')
    expect(current).toContain(`<a href="/organisations/${org.id}">Länsstyrelsen i Östergötlands län</a>`)
    expect(current).toContain('2003-02-01–')
    expect(current).not.toContain('Bo Bark')
    const past = section(html, 'Tidigare ledamöter')
    expect(past).toContain('Bo Bark')
    expect(past).toContain('Sekreterare')
    expect(past).toContain('2002-01-01–2002-12-31')
    expect(html).toContain('skapade')
  })

  it('shows the seats, current and past, on the person’s and the organisation’s pages', async () => {
    const [org, c] = [await organisation('Röda korset'), await contact('Cilla', 'Cederlund')]
    const steering = await apiCreate('/api/v1/bodies', { name: 'Styrgruppen', kind: 'steering_group', seats: [{ contact_id: c.id, organisation_id: org.id, role: 'vice_chair', start_date: '2004-01-01' }] })
    const etg = await apiCreate('/api/v1/bodies', { name: 'ETG', kind: 'thematic_group', seats: [{ contact_id: c.id, role: 'observer', start_date: '2002-03-01', end_date: '2003-06-30' }] })
    const person = await (await page(`/contacts/${c.id}`)).text()
    expect(person).toContain('<h2 id="seats-h">Uppdrag</h2>')
    expect(section(person, 'Nuvarande uppdrag')).toContain(`<a href="/bodies/${steering.id}">Styrgruppen</a> – Vice ordförande, för Röda korset`)
    expect(section(person, 'Nuvarande uppdrag')).not.toContain('ETG')
    expect(section(person, 'Tidigare uppdrag')).toContain(`<a href="/bodies/${etg.id}">ETG</a> – Observatör`)
    expect(section(person, 'Tidigare uppdrag')).toContain('(2002-03-01–2003-06-30)')
    const organisationPage = await (await page(`/organisations/${org.id}`)).text()
    expect(section(organisationPage, 'Nuvarande uppdrag')).toContain(`<a href="/bodies/${steering.id}">Styrgruppen</a> – Vice ordförande, <a href="/contacts/${c.id}">Cilla Cederlund</a>`)
    expect(organisationPage).not.toContain('ETG')
    const english = await (await page(`/contacts/${c.id}`, editor.cookie, { cookie: `${editor.cookie}; lang=en` })).text()
    expect(english).toContain('<h2 id="seats-h">Seats</h2>')
    expect(section(english, 'Past seats')).toContain('Observer')
  })

  it('tells a seat current from past on a given day, both ends of the period included', async () => {
    const c = await contact('Dina', 'Dal')
    const body = await apiCreate('/api/v1/bodies', {
      name: 'Arbetsgruppen för mottagande', kind: 'working_group',
      seats: [
        { contact_id: c.id, role: 'member', start_date: '2005-01-01', end_date: '2005-12-31' },
        { contact_id: c.id, role: 'chair', start_date: '2006-01-01' },
      ],
    })
    const on = async (day: string) => {
      const s = await seatsForPage(t.db, { contact_id: c.id }, day)
      return { current: s.current.map((x) => x.role), upcoming: s.upcoming.map((x) => x.role), past: s.past.map((x) => x.role) }
    }
    expect(await on('2004-12-31')).toEqual({ current: [], upcoming: ['chair', 'member'], past: [] })
    expect(await on('2005-01-01')).toEqual({ current: ['member'], upcoming: ['chair'], past: [] })
    expect(await on('2005-12-31')).toEqual({ current: ['member'], upcoming: ['chair'], past: [] })
    expect(await on('2006-01-01')).toEqual({ current: ['chair'], upcoming: [], past: ['member'] })
    expect(body.seats).toHaveLength(2)
  })

  it('answers 422 with each message next to its field, keeping the rows typed and one empty row more', async () => {
    const c = await contact('Erik', 'Eld')
    const res = await post('/bodies', {
      name: '', kind: 'steering_group',
      'seats.0.contact_id': c.id, 'seats.0.role': 'member', 'seats.0.start_date': '2004-01-01', 'seats.0.end_date': '2006-12-31',
      'seats.1.contact_id': c.id, 'seats.1.role': 'chair', 'seats.1.start_date': '2006-06-01', 'seats.1.end_date': '',
      'seats.2.contact_id': '', 'seats.2.role': 'observer', 'seats.2.start_date': '2007-01-01',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/<p class="error" id="f-name-error">[^<]+<\/p>\s*<input id="f-name"[^>]*aria-invalid="true"/)
    expect(html).toContain('<p class="error" id="f-seats.1.contact_id-error">Personen har redan en plats i organet under en period som överlappar den här.</p>')
    expect(html).toContain('href="#f-seats.1.contact_id"')
    expect(html).toContain('id="f-seats.2.contact_id-error"')
    expect(html).toContain(`<option value="${c.id}" selected>Erik Eld</option>`)
    expect(html).toContain('value="2006-06-01"')
    expect(html).toContain('<legend>Plats 4</legend>')
    expect(html).not.toContain('<legend>Plats 5</legend>')
  })

  it('shows a changed-meanwhile form that keeps what the user typed', async () => {
    const body = await apiCreate('/api/v1/bodies', { name: 'Nätverket', kind: 'network' })
    const edit = await (await page(`/bodies/${body.id}/edit`)).text()
    expect(edit).toContain('name="version" value="1"')
    expect((await post(`/bodies/${body.id}`, { version: '1', name: 'Nationella nätverket', kind: 'network' })).status).toBe(303)
    const res = await post(`/bodies/${body.id}`, { version: '1', name: 'Integrationsnätverket', kind: 'network', description: 'Alla län' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Integrationsnätverket"')
    expect(html).toContain('Alla län')
    expect(html).toContain('Sparat nu: Nationella nätverket')
    expect(html).toContain('name="version" value="2"')
  })

  it('keeps the seats when an unchanged form is saved again', async () => {
    const c = await contact('Fia', 'Fjäll')
    const body = await apiCreate('/api/v1/bodies', { name: 'Kontaktpunkterna', kind: 'contact_points', seats: [{ contact_id: c.id, role: 'deputy', start_date: '2008-01-01' }] })
    const id = body.seats[0].id
    const edit = await (await page(`/bodies/${body.id}/edit`)).text()
    expect(edit).toContain(`name="seats.0.id" value="${id}"`)
    expect(edit).toMatch(/<option value="deputy" selected>Ersättare<\/option>/)
    const res = await post(`/bodies/${body.id}`, {
      version: '1', name: 'Kontaktpunkterna', kind: 'contact_points',
      'seats.0.id': id, 'seats.0.contact_id': c.id, 'seats.0.organisation_id': '', 'seats.0.role': 'deputy', 'seats.0.start_date': '2008-01-01', 'seats.0.end_date': '',
    })
    expect(res.status).toBe(303)
    const after = await (await t.request(`/api/v1/bodies/${body.id}`, { headers: token.headers })).json()
    expect(after.seats).toEqual([{ id, contact_id: c.id, organisation_id: null, role: 'deputy', start_date: '2008-01-01', end_date: null }])
  })

  it('lists, searches as you type (fragment), filters by kind and member, exports CSV', async () => {
    const c = await contact('Gun', 'Grahn')
    await apiCreate('/api/v1/bodies', { name: 'Arbetsgruppen för hälsa', kind: 'working_group', seats: [{ contact_id: c.id }] })
    const fragment = await (await page('/bodies?q=halsa', editor.cookie, { 'hx-request': 'true' })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).toContain('Arbetsgruppen för hälsa')
    expect(fragment).toMatch(/\b1 träff\b/)
    expect(await (await page('/bodies?kind=working_group')).text()).toContain('Arbetsgruppen för hälsa')
    expect(await (await page('/bodies?kind=network')).text()).not.toContain('Arbetsgruppen för hälsa')
    const byMember = await (await page(`/bodies?contact_id=${c.id}`)).text()
    expect(byMember).toContain('Organ där Gun Grahn sitter eller har suttit')
    expect(byMember).toContain('Arbetsgruppen för hälsa')
    const csv = await page('/bodies?q=halsa&format=csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(await csv.text()).toContain('Arbetsgruppen för hälsa,working_group')
  })

  it('finds a body in the register search', async () => {
    await apiCreate('/api/v1/bodies', { name: 'Nordiska integrationssamarbetet', kind: 'network' })
    const res = await t.request('/api/v1/search?q=integrationssamarbetet', { headers: token.headers })
    const hits = (await res.json()).data as { type: string; label: string }[]
    expect(hits).toContainEqual(expect.objectContaining({ type: 'body', label: 'Nordiska integrationssamarbetet' }))
  })

  it('deletes a body, and an admin restores it from the deleted view', async () => {
    const body = await apiCreate('/api/v1/bodies', { name: 'Tillfällig grupp', kind: 'other' })
    expect((await post(`/bodies/${body.id}/delete`, { version: '1' })).status).toBe(303)
    expect((await page(`/bodies/${body.id}`)).status).toBe(404)
    const admin = await t.browser('admin')
    const deleted = await (await page('/bodies?deleted=1', admin.cookie)).text()
    expect(deleted).toContain('Borttagna organ')
    expect(deleted).toContain(`action="/bodies/${body.id}/restore"`)
    expect((await post(`/bodies/${body.id}/restore`, {}, editor.cookie)).status).toBe(403)
    expect((await post(`/bodies/${body.id}/restore`, {}, admin.cookie)).status).toBe(303)
    expect(await (await page(`/bodies/${body.id}`)).text()).toContain('Tillfällig grupp')
  })
})
