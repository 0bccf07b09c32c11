import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const page = (path: string, cookie = editor.cookie, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } })
const post = (path: string, fields: Record<string, string>, cookie = editor.cookie) => t.request(path, formPost(fields, cookie))
const apiCreate = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status).toBe(201)
  return res.json()
}
const organisation = (name: string) => apiCreate('/api/v1/organisations', { name, kind: 'authority' })
/** The HTML after the heading with this text, up to the next heading. */
const section = (html: string, heading: string) => html.split(new RegExp(`<h[23][^>]*>${heading}</h[23]>`))[1]?.split(/<h[123][ >]/)[0] ?? ''

describe('contact pages', () => {
  it('says what to do when there are no contacts yet', async () => {
    const html = await (await page('/contacts')).text()
    expect(html).toContain('Det finns inga kontakter ännu. Lägg till den första')
    expect(html).toContain('href="/contacts/new"')
  })

  it('creates a contact with an affiliation from the form and shows where the person works', async () => {
    const org = await organisation('Migrationsverket')
    const form = await (await page('/contacts/new')).text()
    expect(form).toContain('<legend>Anknytning 1</legend>')
    const res = await post('/contacts', {
      first_name: 'Karin', last_name: 'Åkesson', email: 'karin.akesson@example.se', phone: '070-123 45 67', categories: 'official',
      'affiliations.0.organisation_id': org.id, 'affiliations.0.role': 'Handläggare', 'affiliations.0.start_date': '2021-09-01',
      'affiliations.0.end_date': '', 'affiliations.1.organisation_id': '', 'affiliations.1.role': '', q: '',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/contacts\/[0-9a-f-]{36}$/)
    const html = await (await page(location)).text()
    expect(section(html, 'Arbetar nu på')).toContain(`<a href="/organisations/${org.id}">Migrationsverket</a> – Handläggare`)
    expect(html).toContain('+46701234567')
    expect(html).toContain('Tjänsteperson')
    expect(html).toContain('skapade')
  })

  it('answers 422 with each message next to its field, keeping what was typed', async () => {
    const org = await organisation('Integrationsverket')
    const res = await post('/contacts', {
      first_name: '', last_name: '', email: 'inte-en-adress', phone: '12', title: 'Projektledare',
      'affiliations.0.organisation_id': org.id, 'affiliations.0.start_date': '2020-05-01', 'affiliations.0.end_date': '2020-04-01',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/<p class="error" id="f-first_name-error">Fyll i förnamn eller efternamn.<\/p>\s*<input id="f-first_name"[^>]*aria-invalid="true" aria-describedby="f-first_name-error"/)
    expect(html).toContain('id="f-last_name-error"')
    expect(html).toContain('<p class="error" id="f-email-error">Ange en giltig e-postadress.</p>')
    expect(html).toContain('id="f-phone-error"')
    expect(html).toContain('<p class="error" id="f-affiliations.0.end_date-error">Slutdatumet kan inte vara före startdatumet.</p>')
    expect(html).toContain('href="#f-affiliations.0.end_date"')
    expect(html).toContain('value="Projektledare"')
    expect(html).toMatch(new RegExp(`organisation_id~organisation" value="Integrationsverket"[^>]*>[\\s\\S]*?value="${org.id}" data-combobox-value`))
    expect(html).toContain('<legend>Anknytning 2</legend>')
  })

  it('shows a changed-meanwhile form that keeps what the user typed', async () => {
    const c = await apiCreate('/api/v1/contacts', { first_name: 'Per', last_name: 'Lind' })
    const edit = await (await page(`/contacts/${c.id}/edit`)).text()
    expect(edit).toContain('name="version" value="1"')
    expect((await post(`/contacts/${c.id}`, { version: '1', first_name: 'Peter', last_name: 'Lind' })).status).toBe(303)
    const res = await post(`/contacts/${c.id}`, { version: '1', first_name: 'Per-Olof', last_name: 'Lind', title: 'Enhetschef' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Per-Olof"')
    expect(html).toContain('value="Enhetschef"')
    expect(html).toContain('Sparat nu: Peter')
    expect(html).toContain('name="version" value="2"')
    expect((await (await t.request(`/api/v1/contacts/${c.id}`, { headers: token.headers })).json()).first_name).toBe('Peter')
  })

  it('shows current and former employers on the person and on each organisation', async () => {
    const [now, before] = [await organisation('Länsstyrelsen i Skåne län'), await organisation('Malmö högskola')]
    const c = await apiCreate('/api/v1/contacts', {
      first_name: 'Leila', last_name: 'Haddad',
      affiliations: [{ organisation_id: now.id, role: 'Integrationsstrateg' }, { organisation_id: before.id, role: 'Forskare', start_date: '2010-01-01', end_date: '2016-06-30' }],
    })
    const html = await (await page(`/contacts/${c.id}`)).text()
    expect(section(html, 'Arbetar nu på')).toContain('Länsstyrelsen i Skåne län')
    expect(section(html, 'Arbetar nu på')).not.toContain('Malmö högskola')
    expect(section(html, 'Tidigare')).toContain('Malmö högskola</a> – Forskare')
    expect(section(html, 'Tidigare')).toContain('2010-01-01–2016-06-30')
    const nowPage = await (await page(`/organisations/${now.id}`)).text()
    expect(section(nowPage, 'Nu')).toContain(`<a href="/contacts/${c.id}">Leila Haddad</a>`)
    const beforePage = await (await page(`/organisations/${before.id}`)).text()
    expect(section(beforePage, 'Nu')).not.toContain('Leila Haddad')
    expect(section(beforePage, 'Tidigare')).toContain(`<a href="/contacts/${c.id}">Leila Haddad</a>`)
  })

  it('keeps an affiliation when an unchanged form is saved again', async () => {
    const org = await organisation('Arbetsförmedlingen')
    const c = await apiCreate('/api/v1/contacts', { first_name: 'Omar', last_name: 'Ali', affiliations: [{ organisation_id: org.id, role: 'Handläggare' }] })
    const edit = await (await page(`/contacts/${c.id}/edit`)).text()
    const id = c.affiliations[0].id
    expect(edit).toContain(`name="affiliations.0.id" value="${id}"`)
    expect(edit).toContain('name="affiliations_primary" value="0" id="f-affiliations.0.primary" checked')
    const res = await post(`/contacts/${c.id}`, {
      version: '1', first_name: 'Omar', last_name: 'Ali', 'affiliations.0.id': id, 'affiliations.0.organisation_id': org.id,
      'affiliations.0.role': 'Handläggare', affiliations_primary: '0',
    })
    expect(res.status).toBe(303)
    const after = await (await t.request(`/api/v1/contacts/${c.id}`, { headers: token.headers })).json()
    expect(after.affiliations).toEqual([{ id, organisation_id: org.id, role: 'Handläggare', start_date: null, end_date: null, primary: true }])
  })

  it('lists, searches as you type (fragment), filters by organisation and exports CSV', async () => {
    const org = await organisation('Jönköpings kommun')
    await apiCreate('/api/v1/contacts', { first_name: 'Maria', last_name: 'Björk', title: 'Socialsekreterare', affiliations: [{ organisation_id: org.id }] })
    const fragment = await (await page('/contacts?q=bjork', editor.cookie, { 'hx-request': 'true' })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).toContain('Björk, Maria')
    expect(fragment).toContain('Jönköpings kommun')
    const filtered = await (await page(`/contacts?organisation_id=${org.id}`)).text()
    expect(filtered).toContain('Arbetar nu på Jönköpings kommun')
    expect(filtered).toMatch(/\b1 träff\b/)
    const csv = await page(`/contacts?organisation_id=${org.id}&format=csv`)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer())
    expect(text.startsWith('\uFEFFid,')).toBe(true)
    expect(text).toContain('Maria,Björk,,,Socialsekreterare,,Jönköpings kommun,')
  })

  it('tags the selected contacts at once, and an admin restores a deleted one from the deleted view', async () => {
    const a = await apiCreate('/api/v1/contacts', { first_name: 'Tove', last_name: 'Strand' })
    const b = await apiCreate('/api/v1/contacts', { first_name: 'Erik', last_name: 'Strand' })
    const body = new URLSearchParams([['id', a.id], ['id', b.id], ['action', 'tag'], ['tag', 'nyhetsbrev']])
    const init = formPost({}, editor.cookie)
    const res = await t.request('/contacts/bulk', { ...init, body: body.toString() })
    expect(res.status).toBe(303)
    const tagged = await (await page('/contacts?tag=nyhetsbrev')).text()
    expect(tagged).toContain('Strand, Tove')
    expect(tagged).toContain('Strand, Erik')
    expect((await post(`/contacts/${a.id}/delete`, { version: '2' })).status).toBe(303)
    expect(await (await page('/contacts?tag=nyhetsbrev')).text()).not.toContain('Strand, Tove')
    const admin = await t.browser('admin')
    const deleted = await (await page('/contacts?deleted=1', admin.cookie)).text()
    expect(deleted).toContain('Borttagna kontakter')
    expect(deleted).toContain(`formaction="/contacts/${a.id}/restore"`)
    expect((await post(`/contacts/${a.id}/restore`, {}, editor.cookie)).status).toBe(403)
    expect((await post(`/contacts/${a.id}/restore`, {}, admin.cookie)).status).toBe(303)
    expect(await (await page(`/contacts/${a.id}`)).text()).toContain('Tove Strand')
  })

  it('offers contacts to pickers elsewhere', async () => {
    await apiCreate('/api/v1/contacts', { first_name: 'Greta', last_name: 'Wahlström', title: 'Rektor' })
    const html = await (await page('/contacts/options?q=wahlstrom')).text()
    expect(html).toMatch(/<option value="[0-9a-f-]{36}">Greta Wahlström \(Rektor\)<\/option>/)
  })
})
