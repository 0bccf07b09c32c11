import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
const organisation = (name: string, kind = 'authority') => apiCreate('/api/v1/organisations', { name, kind })
/** The HTML after the heading with this text, up to the next heading. */
const section = (html: string, heading: string) => html.split(new RegExp(`<h[23][^>]*>${heading}</h[23]>`))[1]?.split(/<h[123][ >]/)[0] ?? ''

describe('project pages', () => {
  it('says what to do when there are no projects yet, and is in the menu', async () => {
    const html = await (await page('/projects')).text()
    expect(html).toContain('Det finns inga projekt ännu.')
    expect(html).toContain('href="/projects/new"')
    expect(html).toContain('<a href="/projects" aria-current="page">Projekt</a>')
    expect(html).toContain('<a href="/products">Produkter</a>')
  })

  it('creates a project with its lead and partners from the form, and shows them, its products, themes and timeline', async () => {
    const theme = await apiCreate('/api/v1/themes', { name: 'Hälsokommunikatörer' })
    const [up, mv, skane] = [
      await organisation('Utvecklingspartnerskapet ReKOMP', 'partnership'), await organisation('Migrationsverket'), await organisation('Region Skåne', 'region'),
    ]
    const form = await (await page('/projects/new')).text()
    expect(form).toContain('<legend>Partner 1</legend>')
    expect(form).not.toContain('<legend>Partner 2</legend>')
    expect(form).toContain('data-options-url="/organisations/options?format=json"')
    const res = await post('/projects', {
      name: 'ReKOMP', programme: 'equal', status: 'finished', start_date: '2002-07-01', end_date: '2005-06-30', lead_organisation_id: up.id,
      'partners.0.organisation_id': mv.id, 'partners.0.role': 'Medfinansiär',
      'partners.1.organisation_id': skane.id, 'partners.1.role': '',
      'partners.2.organisation_id': '', 'partners.2.role': '', q: '',
      theme_ids: theme.id, evaluation: 'Metoden når nyanlända som vården annars inte når.', notes: '',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/projects\/[0-9a-f-]{36}$/)
    const id = location.split('/').pop()!
    await apiCreate('/api/v1/products', { title: 'Hälsokommunikatörer – metodbok', kind: 'manual', project_id: id, good_practice_status: 'validated' })
    const html = await (await page(location)).text()
    expect(html).toContain('<h1>ReKOMP <span class="status-tag status-ended">Avslutat</span></h1>')
    expect(html).toContain('Equal')
    expect(html).toContain('2002-07-01–2005-06-30')
    expect(html).toContain(`<a href="/organisations/${up.id}">Utvecklingspartnerskapet ReKOMP</a>`)
    expect(section(html, 'Partner')).toContain(`<a href="/organisations/${mv.id}">Migrationsverket</a> – Medfinansiär`)
    expect(section(html, 'Partner')).toContain(`<a href="/organisations/${skane.id}">Region Skåne</a></li>`)
    expect(html).toContain('<li>Hälsokommunikatörer</li>')
    expect(section(html, 'Produkter')).toContain('Hälsokommunikatörer – metodbok')
    expect(section(html, 'Produkter')).toContain('Validerat gott exempel')
    const timeline = section(html, 'Händelser')
    expect(timeline).toContain('Projektet startade: ReKOMP')
    expect(timeline).toContain('Projektet slutade: ReKOMP')
    expect(timeline).toContain('Produkt registrerad: ')
    expect(timeline).toContain('skapade')
    expect(html).toContain(`href="/products/new?project_id=${id}"`)
  })

  it('lists the projects an organisation leads or is a partner in on its page', async () => {
    const [lead, partner, none] = [await organisation('UP Vägen in', 'partnership'), await organisation('Arbetsförmedlingen'), await organisation('Boverket')]
    const p = await apiCreate('/api/v1/projects', { name: 'Vägen in', programme: 'equal', lead_organisation_id: lead.id, start_date: '2005-01-01' })
    await apiCreate('/api/v1/projects', { name: 'Arbete direkt', programme: 'esf', status: 'planned', partners: [{ organisation_id: partner.id, role: 'Arbetsgivarkontakter' }] })
    const leadPage = await (await page(`/organisations/${lead.id}`)).text()
    expect(section(leadPage, 'Projekt')).toContain(`<a href="/projects/${p.id}">Vägen in</a> – Projektägare`)
    expect(section(leadPage, 'Projekt').replace(/<[^>]+>/g, '')).toContain('Pågår (2005-01-01–)')
    const partnerPage = await (await page(`/organisations/${partner.id}`)).text()
    expect(section(partnerPage, 'Projekt')).toContain('Arbete direkt</a> – Partner (Arbetsgivarkontakter)')
    expect(await (await page(`/organisations/${none.id}`)).text()).toContain('Varken projektägare eller partner i något projekt.')
    const listed = await (await page(`/projects?organisation_id=${partner.id}`)).text()
    expect(listed).toContain('Projekt där Arbetsförmedlingen är projektägare eller partner')
    expect(listed).toContain('Arbete direkt')
    expect(listed).not.toContain('Vägen in</a>')
  })

  it('answers 422 with each message next to its field, keeping the rows typed and one empty row more', async () => {
    const org = await organisation('Svenska ESF-rådet')
    const res = await post('/projects', {
      name: '', status: 'running', start_date: '2006-01-01', end_date: '2005-01-01',
      'partners.0.organisation_id': org.id, 'partners.0.role': 'Finansiär',
      'partners.1.organisation_id': org.id, 'partners.1.role': 'Igen',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/<p class="error" id="f-name-error">[^<]+<\/p>\s*<input id="f-name"[^>]*aria-invalid="true"/)
    expect(html).toContain('<p class="error" id="f-end_date-error">Slutdatumet kan inte vara före startdatumet.</p>')
    expect(html).toContain('<p class="error" id="f-partners.1.organisation_id-error">Organisationen finns redan bland partnerna.</p>')
    expect(html).toContain('href="#f-partners.1.organisation_id"')
    expect(html).toMatch(new RegExp(`organisation_id~organisation" value="Svenska ESF-rådet"[^>]*>[\\s\\S]*?value="${org.id}" data-combobox-value`))
    expect(html).toContain('value="Igen"')
    expect(html).toContain('<legend>Partner 3</legend>')
    expect(html).not.toContain('<legend>Partner 4</legend>')
  })

  it('shows a changed-meanwhile form that keeps what the user typed', async () => {
    const project = await apiCreate('/api/v1/projects', { name: 'Nya steg' })
    const edit = await (await page(`/projects/${project.id}/edit`)).text()
    expect(edit).toContain('name="version" value="1"')
    expect(edit).toMatch(/<option value="running" selected>Pågår<\/option>/)
    expect((await post(`/projects/${project.id}`, { version: '1', name: 'Nya steg i Norrbotten', status: 'running' })).status).toBe(303)
    const res = await post(`/projects/${project.id}`, { version: '1', name: 'Nya steg i norr', status: 'finished', notes: 'Min anteckning' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Nya steg i norr"')
    expect(html).toContain('Min anteckning')
    expect(html).toContain('Sparat nu: Nya steg i Norrbotten')
    expect(html).toContain('name="version" value="2"')
  })

  it('keeps the partners and their ids when an unchanged form is saved again', async () => {
    const org = await organisation('Länsstyrelsen i Gävleborgs län', 'county_board')
    const project = await apiCreate('/api/v1/projects', { name: 'Trygg start', partners: [{ organisation_id: org.id, role: 'Värd' }] })
    const id = project.partners[0].id
    const edit = await (await page(`/projects/${project.id}/edit`)).text()
    expect(edit).toContain(`name="partners.0.id" value="${id}"`)
    const res = await post(`/projects/${project.id}`, {
      version: '1', name: 'Trygg start', status: 'running', programme: '', 'partners.0.id': id, 'partners.0.organisation_id': org.id, 'partners.0.role': 'Värd',
    })
    expect(res.status).toBe(303)
    const after = await (await t.request(`/api/v1/projects/${project.id}`, { headers: token.headers })).json()
    expect(after.partners).toEqual([{ id, organisation_id: org.id, role: 'Värd' }])
    expect(after.version).toBe(2)
  })

  it('lists, searches as you type (fragment), filters by programme and status, exports CSV', async () => {
    await apiCreate('/api/v1/projects', { name: 'Mångfaldsnätet', programme: 'nordic', status: 'cancelled' })
    const fragment = await (await page('/projects?q=mangfald', editor.cookie, { 'hx-request': 'true' })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).toContain('Mångfaldsnätet')
    expect(fragment).toMatch(/\b1 träff\b/)
    expect(await (await page('/projects?programme=nordic&status=cancelled')).text()).toContain('Mångfaldsnätet')
    expect(await (await page('/projects?programme=equal')).text()).not.toContain('Mångfaldsnätet')
    const csv = await page('/projects?q=mangfald&format=csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(await csv.text()).toContain('Mångfaldsnätet,nordic,cancelled')
  })

  it('finds projects and products in the register search', async () => {
    const project = await apiCreate('/api/v1/projects', { name: 'Valideringslänken' })
    const product = await apiCreate('/api/v1/products', { title: 'Valideringsguiden', kind: 'manual' })
    const hits = (await (await t.request('/api/v1/search?q=validering', { headers: token.headers })).json()).data as { type: string; label: string }[]
    expect(hits).toContainEqual(expect.objectContaining({ type: 'project', label: 'Valideringslänken' }))
    expect(hits).toContainEqual(expect.objectContaining({ type: 'product', label: 'Valideringsguiden' }))
    const html = await (await page('/search?q=validering')).text()
    expect(html).toContain(`href="/projects/${project.id}"`)
    expect(html).toContain(`href="/products/${product.id}"`)
  })

  it('names new projects and products, with links, among the dashboard’s recent changes', async () => {
    const project = await apiCreate('/api/v1/projects', { name: 'Språkporten' })
    const product = await apiCreate('/api/v1/products', { title: 'Yrkessvenska i praktiken', kind: 'training', project_id: project.id })
    const html = await (await page('/')).text()
    expect(html).toMatch(/skapade projekt\s+<a href="\/projects\//)
    expect(html).toMatch(/skapade produkt\s+<a href="\/products\//)
    expect(html).toContain(`<a href="/projects/${project.id}">Språkporten</a>`)
    expect(html).toContain(`<a href="/products/${product.id}">Yrkessvenska i praktiken</a>`)
  })

  it('deletes a project, and an admin restores it from the deleted view', async () => {
    const project = await apiCreate('/api/v1/projects', { name: 'Tillfälligt projekt' })
    expect((await post(`/projects/${project.id}/delete`, { version: '1' })).status).toBe(303)
    expect((await page(`/projects/${project.id}`)).status).toBe(404)
    const admin = await t.browser('admin')
    const deleted = await (await page('/projects?deleted=1', admin.cookie)).text()
    expect(deleted).toContain('Borttagna projekt')
    expect(deleted).toContain(`action="/projects/${project.id}/restore"`)
    expect((await post(`/projects/${project.id}/restore`, {}, editor.cookie)).status).toBe(403)
    expect((await post(`/projects/${project.id}/restore`, {}, admin.cookie)).status).toBe(303)
    expect(await (await page(`/projects/${project.id}`)).text()).toContain('Tillfälligt projekt')
  })

  it('moves the projects an organisation leads and partners in when it is merged into another', async () => {
    const [survivor, dup, other] = [
      await organisation('Integrationsverket'), await organisation('Integrationsverket (dubblett)'), await organisation('Skolverket'),
    ]
    const led = await apiCreate('/api/v1/projects', { name: 'Introduktion för nyanlända', lead_organisation_id: dup.id })
    const both = await apiCreate('/api/v1/projects', {
      name: 'Samhällsorientering', partners: [{ organisation_id: survivor.id, role: 'Ägare' }, { organisation_id: dup.id, role: 'Kopia' }, { organisation_id: other.id }],
    })
    const res = await t.request(`/api/v1/organisations/${survivor.id}/merge`, jsonRequest('POST', { other_id: dup.id, version: 1, other_version: 1 }, token.headers))
    expect(res.status, await res.clone().text()).toBe(200)
    const ledAfter = await (await t.request(`/api/v1/projects/${led.id}`, { headers: token.headers })).json()
    expect(ledAfter.lead_organisation_id).toBe(survivor.id)
    const bothAfter = await (await t.request(`/api/v1/projects/${both.id}`, { headers: token.headers })).json()
    expect(bothAfter.partners.map((p: { organisation_id: string; role: string | null }) => [p.organisation_id, p.role]).sort()).toEqual(
      [[survivor.id, 'Ägare'], [other.id, null]].sort(),
    )
  })
})
