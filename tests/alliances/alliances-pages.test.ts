import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, day } from './helpers.ts'
import { pageWithSections } from '../helpers/sections.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let viewer: Awaited<ReturnType<TestApp['browser']>>
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  viewer = await t.browser('viewer')
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

const page = (path: string, cookie = editor.cookie, headers: Record<string, string> = {}) => pageWithSections(t.request, path, { headers: { cookie, ...headers } })
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, cookie = editor.cookie) => {
  const init = formPost(fields, cookie)
  return t.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } })
}
const HTMX = { 'hx-request': 'true' }
/** The HTML of one board column. */
const column = (html: string, status: string) => html.split(`id="col-${status}"`)[1]?.split('<section class="board-column"')[0] ?? ''

describe('alliance pages: list, form and detail', () => {
  it('says what to do when there are no alliances yet, and links the board', async () => {
    const html = await (await page('/alliances')).text()
    expect(html).toContain('Det finns inga allianser ännu.')
    expect(html).toContain('href="/alliances/new"')
    expect(html).toContain('href="/alliances/board"')
    expect(html).toMatch(/<a href="\/alliances" aria-current="page">Allianser<\/a>/)
  })

  it('creates an alliance from the form with a member row and one empty row more, and shows it', async () => {
    const org = await h.organisation('Länsstyrelsen i Jönköpings län', 'county_board')
    const person = await h.contact('Karin', 'Exempelsson')
    const form = await (await page('/alliances/new')).text()
    expect(form).toContain('<legend>Medlem 1</legend>')
    expect(form).not.toContain('<legend>Medlem 2</legend>')
    expect(form).toContain('data-options-url="/organisations/options?format=json"')
    expect(form).toContain('hx-get="/contacts/options"')
    const res = await post('/alliances', {
      name: 'Jönköpingsmodellen', purpose: 'Samverkan kring mottagande', status: 'proposed', status_reason: 'Länets förslag', review_date: day(-1),
      next_step: 'Boka uppstartsmöte', 'links.0.label': 'Protokoll', 'links.0.url': 'https://www.example.se/protokoll',
      'members.0.organisation_id': org.id, 'members.0.role': 'lead', 'members.0.contact_id': person.id,
      'members.1.organisation_id': '', 'members.1.role': 'partner', 'members.1.contact_id': '',
      'commitments.0.organisation_id': '', 'commitments.0.description': '', 'commitments.0.status': 'open', q: '',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/alliances\/[0-9a-f-]{36}$/)
    const html = await (await page(location)).text()
    expect(html).toContain('<h1>Jönköpingsmodellen <span class="status-tag status-proposed">Föreslagen</span></h1>')
    expect(html).toContain(`<a href="/organisations/${org.id}">Länsstyrelsen i Jönköpings län</a>`)
    expect(html).toContain(`<a href="/contacts/${person.id}">Karin Exempelsson</a>`)
    expect(html).toContain('<td>Ledande</td>')
    expect(html).toContain('dags för översyn')
    expect(html).toContain('Boka uppstartsmöte')
    expect(html).toContain('<a href="https://www.example.se/protokoll" rel="noopener noreferrer">Protokoll</a>')
    expect(html).toContain('Länets förslag')
    const edit = await (await page(`${location}/edit`)).text()
    expect(edit).toContain('<legend>Medlem 2</legend>')
    expect(edit).toContain(`<option value="${person.id}" selected data-elsewhere>Karin Exempelsson</option>`)
    // The commitment rows offer the members to choose from.
    expect(edit).toMatch(new RegExp(`<select id="f-commitments.0.organisation_id"[^>]*>[\\s\\S]*<option value="${org.id}">Länsstyrelsen i Jönköpings län</option>`))
  })

  it('answers 422 with the messages next to the rows, keeping what was typed', async () => {
    const [member, outsider] = [await h.organisation('Integrationsverket'), await h.organisation('Boverket')]
    const res = await post('/alliances', {
      name: 'Fel i raderna', start_date: '2026-05-01', end_date: '2026-04-01',
      'members.0.organisation_id': member.id, 'members.0.role': 'lead',
      'members.1.organisation_id': member.id, 'members.1.role': 'partner',
      'commitments.0.organisation_id': outsider.id, 'commitments.0.description': 'Hyra lokal', 'commitments.0.status': 'open',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-end_date-error">Slutdatumet kan inte vara före startdatumet.</p>')
    expect(html).toContain('id="f-members.1.organisation_id-error">Organisationen är redan medlem.</p>')
    expect(html).toContain('value="Hyra lokal"')
    const fixed = await post('/alliances', {
      name: 'Fel i raderna', 'members.0.organisation_id': member.id, 'members.0.role': 'lead',
      'commitments.0.organisation_id': outsider.id, 'commitments.0.description': 'Hyra lokal', 'commitments.0.status': 'open',
    })
    expect(fixed.status).toBe(422)
    expect(await fixed.text()).toContain('id="f-commitments.0.organisation_id-error">Bara en medlem i alliansen kan ha ett åtagande.</p>')
  })

  it('shows the form again with a stale version as 409, what was typed kept and the stored value beside it', async () => {
    const a = await h.alliance({ name: 'Ursprungligt namn' })
    await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 1, name: 'Ändrat av någon annan' })
    const res = await post(`/alliances/${a.id}`, { version: '1', name: 'Mitt namn', status: 'exploring' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Mitt namn"')
    expect(html).toContain('Sparat nu: Ändrat av någon annan')
    expect(html).toContain('name="version" value="2"')
    expect((await h.get(`/api/v1/alliances/${a.id}`)).name).toBe('Ändrat av någon annan')
  })

  it('highlights overdue commitments and shows the health with each component, its value and weight', async () => {
    const org = await h.organisation('Arbetsförmedlingen')
    const a = await h.alliance({
      name: 'Hälsokollen', members: [{ organisation_id: org.id, role: 'lead' }],
      commitments: [
        { organisation_id: org.id, description: 'Skicka underlag', due_date: day(-2) },
        { organisation_id: org.id, description: 'Boka lokal', due_date: day(5) },
        { organisation_id: org.id, description: 'Klar sak', due_date: day(-30), status: 'done' },
      ],
    })
    await h.create('/api/v1/interactions', { kind: 'call', occurred_on: day(-10), summary: 'Samtal', organisation_ids: [org.id] })
    const html = await (await page(`/alliances/${a.id}`)).text()
    const overdue = a.commitments.find((k: { description: string }) => k.description === 'Skicka underlag')
    expect(html).toMatch(new RegExp(`<tr class="commitment-overdue" id="commitment-${overdue.id}">[\\s\\S]*?försenat`))
    expect(html).toMatch(/<tr class="commitment-due_soon"[\s\S]*?snart/)
    // 1 done of 2 judged = 50 (weight 50); no joint activity this year = 0 (weight 20);
    // contact 10 days ago = 100 (weight 30): (50 × 50 + 0 × 20 + 100 × 30) ÷ 100 = 55
    expect(html).toContain('Sammanlagt: 55 av 100 (medel)')
    expect(html).toContain('1 klart av 2 avgjorda (0 strukna, 1 försenat)')
    // The score and one sentence first; the parts and the formula behind a disclosure.
    expect(html).toContain('Det som drar ned mest är gemensamma aktiviteter: 0 det senaste året (mål 2).')
    expect(html).toMatch(/<details class="health-details">\s*<summary>Så räknas hälsan<\/summary>[\s\S]*Beräkning:[\s\S]*<\/details>/)
    expect(html).toContain('0 det senaste året (mål 2)')
    expect(html).toContain(`Senast ${day(-10)} (10 dagar sedan)`)
    expect(html).toContain('Beräkning: (50 × 50 + 0 × 20 + 100 × 30) ÷ (50 + 20 + 30) = 55')
  })

  it('filters the list by member organisation and sorts it by next review', async () => {
    const org = await h.organisation('Sveriges Kommuner och Regioner', 'other')
    await h.alliance({ name: 'Sorteras sist', review_date: day(40), members: [{ organisation_id: org.id, role: 'partner' }] })
    await h.alliance({ name: 'Sorteras först', review_date: day(20), members: [{ organisation_id: org.id, role: 'supporter' }] })
    const html = await (await page(`/alliances?organisation_id=${org.id}&sort=review`, editor.cookie, HTMX)).text()
    expect(html.startsWith('<div id="results">')).toBe(true)
    expect(html.indexOf('Sorteras först')).toBeLessThan(html.indexOf('Sorteras sist'))
    expect(html).toContain('2 träffar')
  })
})

describe('alliance board', () => {
  it('shows one column per status in the order of an alliance’s life, each card with a labelled move form', async () => {
    const a = await h.alliance({ name: 'Tavelkortet' })
    const html = await (await page('/alliances/board')).text()
    const order = ['exploring', 'proposed', 'active', 'dormant', 'ended'].map((s) => html.indexOf(`id="col-${s}"`))
    expect(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!))).toBe(true)
    expect(column(html, 'exploring')).toContain(`id="card-${a.id}"`)
    expect(html).toContain(`<label for="move-${a.id}">Flytta till<span class="visually-hidden">: Tavelkortet</span></label>`)
    expect(html).toContain(`<select id="move-${a.id}" name="status" data-move-select>`)
    expect(html).toContain('<script src="/static/js/board.js" defer></script>')
    expect(html).not.toMatch(/<script>|style="|onclick=/)
  })

  it('moves a card by its form: htmx gets the board back with the card in its new column and a notice', async () => {
    const a = await h.alliance({ name: 'Flyttkortet' })
    const res = await post(`/alliances/${a.id}/status`, { status: 'proposed', reason: 'Mogen för förslag', version: '1', from: 'board' }, HTMX)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.startsWith('<div id="board" class="board">')).toBe(true)
    expect(column(html, 'proposed')).toContain(`id="card-${a.id}"`)
    expect(column(html, 'exploring')).not.toContain(`id="card-${a.id}"`)
    expect(html).toMatch(new RegExp(`id="card-${a.id}"[^>]*data-moved`))
    expect(html).toContain('<p id="board-status" role="status" class="board-status" hx-swap-oob="true">Flyttkortet flyttades till Föreslagen.</p>')
    const history = (await h.get(`/api/v1/alliances/${a.id}/status-history`)).data
    expect(history[0]).toMatchObject({ from: 'exploring', to: 'proposed', reason: 'Mogen för förslag', user_id: editor.user.id })
  })

  it('moves a card by its form without script, back to the board with a 303', async () => {
    const a = await h.alliance({ name: 'Utan skript', status: 'active' })
    const res = await post(`/alliances/${a.id}/status`, { status: 'dormant', reason: '', version: '1', from: 'board' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/alliances/board')
    expect(column(await (await page('/alliances/board')).text(), 'dormant')).toContain(`id="card-${a.id}"`)
    const fromDetail = await post(`/alliances/${a.id}/status`, { status: 'ended', reason: 'Projektet slut', version: '2', from: 'detail' })
    expect(fromDetail.headers.get('location')).toBe(`/alliances/${a.id}`)
    const html = await (await page(`/alliances/${a.id}`)).text()
    expect(html).toMatch(/<td>Vilande<\/td>\s*<td>Avslutad<\/td>\s*<td>Testperson editor \d+<\/td>\s*<td>Projektet slut<\/td>/)
  })

  it('moves a card through the API as the board does, and the board shows it', async () => {
    const a = await h.alliance({ name: 'API-kortet', status: 'proposed' })
    const res = await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'active', reason: 'Avtal undertecknat', version: 1 })
    expect(res.status).toBe(200)
    expect(column(await (await page('/alliances/board')).text(), 'active')).toContain(`id="card-${a.id}"`)
  })

  it('keeps the card where it was when someone else changed the alliance, and says so', async () => {
    const a = await h.alliance({ name: 'Krockkortet' })
    await h.api('PATCH', `/api/v1/alliances/${a.id}`, { version: 1, notes: 'Ändrad' })
    const res = await post(`/alliances/${a.id}/status`, { status: 'active', version: '1', from: 'board' }, HTMX)
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(column(html, 'exploring')).toContain(`id="card-${a.id}"`)
    expect(html).toContain('Krockkortet har ändrats av någon annan.')
  })

  it('shows a viewer the board without move forms, and refuses a viewer’s move', async () => {
    const a = await h.alliance({ name: 'Läsarkortet' })
    const html = await (await page('/alliances/board', viewer.cookie)).text()
    expect(html).toContain('Läsarkortet')
    expect(html).not.toContain('data-move-form')
    expect(html).not.toContain('draggable="true"')
    expect((await post(`/alliances/${a.id}/status`, { status: 'active', version: '1' }, HTMX, viewer.cookie)).status).toBe(403)
    expect((await h.get(`/api/v1/alliances/${a.id}`)).status).toBe('exploring')
  })
})

describe('alliances on other pages', () => {
  it('shows a member organisation its alliances with its role, and its overdue commitments', async () => {
    const org = await h.organisation('Länsstyrelsen i Skåne län', 'county_board')
    const other = await h.organisation('Malmö universitet', 'research')
    const a = await h.alliance({
      name: 'Skånesamverkan', start_date: day(-100), members: [{ organisation_id: org.id, role: 'lead' }, { organisation_id: other.id, role: 'partner' }],
      commitments: [
        { organisation_id: org.id, description: 'Sammanställa länsrapport', due_date: day(-5) },
        { organisation_id: org.id, description: 'Framtida sak', due_date: day(5) },
        { organisation_id: other.id, description: 'Universitetets sak', due_date: day(-5) },
      ],
    })
    await h.alliance({ name: 'Gammal allians', status: 'ended', members: [{ organisation_id: org.id, role: 'supporter' }] })
    await h.api('POST', `/api/v1/alliances/${a.id}/status`, { status: 'active', reason: 'Start', version: 1 })
    const html = await (await page(`/organisations/${org.id}`)).text()
    const current = html.split('id="org-alliances-current"')[1]!.split('</ul>')[0]!
    expect(current).toContain(`<a href="/alliances/${a.id}">Skånesamverkan</a> – Ledande`)
    expect(current).not.toContain('Gammal allians')
    const overdue = html.split('id="org-overdue-commitments"')[1]!.split('</ul>')[0]!
    expect(overdue).toContain('Sammanställa länsrapport')
    expect(overdue).not.toContain('Framtida sak')
    expect(overdue).not.toContain('Universitetets sak')
    expect(html).toContain('Tidigare medlem i')
    // The organisation's timeline has the membership start and the alliance's status changes.
    const timeline = html.split('id="timeline-h"')[1]!
    expect(timeline).toContain(`Ledande medlem i alliansen: <a href="/alliances/${a.id}">Skånesamverkan</a>`)
    expect(timeline).toContain(`Alliansstatus Aktiv: <a href="/alliances/${a.id}">Skånesamverkan</a>`)
  })

  it('puts overdue commitments and alliances due for review on the dashboard', async () => {
    const org = await h.organisation('Folkbildningsrådet')
    await h.alliance({
      name: 'Översynsalliansen', review_date: day(0), next_step: 'Utvärdera året', members: [{ organisation_id: org.id, role: 'lead' }],
      commitments: [{ organisation_id: org.id, description: 'Försenad rapport till styrgruppen', due_date: day(-1) }],
    })
    await h.alliance({ name: 'Framtidsalliansen', review_date: day(1) })
    await h.alliance({ name: 'Avslutad översyn', status: 'ended', review_date: day(-3) })
    const html = await (await page('/')).text()
    const overdue = html.split('id="alliance-overdue-list"')[1]!.split('</ul>')[0]!
    expect(overdue).toContain('Försenad rapport till styrgruppen')
    expect(overdue).toContain('Folkbildningsrådet · Översynsalliansen')
    const reviews = html.split('id="alliance-reviews-list"')[1]!.split('</ul>')[0]!
    expect(reviews).toContain('Översynsalliansen')
    expect(reviews).toContain('Utvärdera året')
    expect(reviews).not.toContain('Framtidsalliansen')
    expect(reviews).not.toContain('Avslutad översyn')
  })

  it('finds alliances in the search across the register', async () => {
    const a = await h.alliance({ name: 'Mångfaldsalliansen', purpose: 'Fler röster i integrationsarbetet' })
    const res = await h.get('/api/v1/search?q=mangfald&types=alliance')
    expect(res.data).toEqual([expect.objectContaining({ type: 'alliance', id: a.id, label: 'Mångfaldsalliansen' })])
  })

  it('soft deletes from the detail page and lets an admin restore from the deleted list', async () => {
    const admin = await t.browser('admin')
    const a = await h.alliance({ name: 'Borttagbar' })
    const res = await post(`/alliances/${a.id}/delete`, { version: '1' })
    expect(res.headers.get('location')).toBe('/alliances')
    expect((await page(`/alliances/${a.id}`)).status).toBe(404)
    const deleted = await (await page('/alliances?deleted=1', admin.cookie)).text()
    expect(deleted).toContain(`action="/alliances/${a.id}/restore"`)
    expect((await post(`/alliances/${a.id}/restore`, {})).status).toBe(403)
    const restored = await post(`/alliances/${a.id}/restore`, {}, {}, admin.cookie)
    expect(restored.headers.get('location')).toBe(`/alliances/${a.id}`)
    expect((await page(`/alliances/${a.id}`)).status).toBe(200)
  })

  it('speaks English when asked', async () => {
    const a = await h.alliance({ name: 'Engelska' })
    const html = await (await page(`/alliances/${a.id}`, `${editor.cookie}; lang=en`)).text()
    expect(html).toContain('Status history')
    expect(html).toContain('Exploring')
    expect(html).toContain('Joint activities')
  })
})
