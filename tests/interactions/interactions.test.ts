import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordTimeline } from '../../src/web/timeline.ts'
import { addDays } from '../../src/interactions/follow-ups.ts'
import { formatDate } from '../../src/web/format.ts'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let browser: Awaited<ReturnType<TestApp['browser']>>
let anna: { id: string }
let bertil: { id: string }
let cecilia: { id: string }
let migrationsverket: { id: string }
let jonkoping: { id: string }

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
async function created(path: string, body: Record<string, unknown>) {
  const res = await api('POST', path, body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return res.json()
}
const page = async (path: string, init: RequestInit = {}) => {
  const res = await t.request(path, { ...init, headers: { cookie: browser.cookie, ...(init.headers ?? {}) } })
  return { status: res.status, html: await res.text(), res }
}
const sorted = (ids: string[]) => [...ids].sort()
// Far enough from today that a test running across midnight still sees the same thing.
const today = () => formatDate(new Date())

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  browser = await t.browser('editor')
  anna = await created('/api/v1/contacts', { first_name: 'Anna', last_name: 'Andersson', email: 'anna.andersson@example.se' })
  bertil = await created('/api/v1/contacts', { first_name: 'Bertil', last_name: 'Berg' })
  cecilia = await created('/api/v1/contacts', { first_name: 'Cecilia', last_name: 'Ceder' })
  migrationsverket = await created('/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority' })
  jonkoping = await created('/api/v1/organisations', { name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board' })
})
afterAll(() => t.close())

describe('interactions API', () => {
  it('logs a meeting with two contacts and an organisation, and audits the links in the same entry', async () => {
    const i = await created('/api/v1/interactions', {
      kind: 'meeting', occurred_on: '2026-11-02', summary: 'Samråd om mottagande av nyanlända',
      contact_ids: [anna.id, bertil.id], organisation_ids: [migrationsverket.id],
    })
    expect(i).toMatchObject({ kind: 'meeting', occurred_on: '2026-11-02', follow_up_on: null, follow_up_done: false, version: 1, created_by: editor.user.id })
    expect(sorted(i.contact_ids)).toEqual(sorted([anna.id, bertil.id]))
    expect(i.organisation_ids).toEqual([migrationsverket.id])
    const audit = await (await api('GET', `/api/v1/audit?entity_type=interaction&entity_id=${i.id}`, undefined, admin)).json()
    expect(audit.data).toHaveLength(1)
    expect(audit.data[0].action).toBe('create')
    expect(sorted(audit.data[0].changes.contact_ids[1])).toEqual(sorted([anna.id, bertil.id]))
    expect(audit.data[0].changes.organisation_ids[1]).toEqual([migrationsverket.id])
  })

  it('shows the interaction on the timeline of each linked contact and organisation', async () => {
    const i = await created('/api/v1/interactions', {
      kind: 'call', occurred_on: '2026-11-05', summary: 'Uppringning om hälsokommunikatörer i Jönköping',
      contact_ids: [anna.id, cecilia.id], organisation_ids: [jonkoping.id],
    })
    for (const [type, id] of [['contact', anna.id], ['contact', cecilia.id], ['organisation', jonkoping.id]] as const) {
      const entries = await recordTimeline(t.db, type, id)
      const entry = entries.find((e) => e.link === `/interactions/${i.id}`)
      expect(entry, `${type} ${id}`).toMatchObject({ kind: 'interaction', summary: 'Uppringning om hälsokommunikatörer i Jönköping', date: '2026-11-05' })
      expect(entry!.who).toBe(editor.user.name)
    }
    expect((await recordTimeline(t.db, 'contact', bertil.id)).some((e) => e.link === `/interactions/${i.id}`)).toBe(false)
    const orgPage = await page(`/organisations/${jonkoping.id}`)
    expect(orgPage.html).toContain(`href="/interactions/${i.id}">Uppringning om hälsokommunikatörer i Jönköping</a>`)
    expect(orgPage.html).toContain('Samtal:')
    expect(orgPage.html).toContain(`href="/interactions/new?organisation_id=${jonkoping.id}"`)
  })

  it('requires at least one contact or organisation, known ones, and a date for an assignee', async () => {
    const none = await api('POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-01', summary: 'Ingen alls' })
    expect(none.status).toBe(400)
    expect((await none.json()).error.fields.contact_ids).toMatch(/minst en kontakt eller organisation/)
    const unknown = await api('POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-01', summary: 'X', contact_ids: ['00000000-0000-4000-8000-000000000000'] })
    expect((await unknown.json()).error.fields.contact_ids).toBeTruthy()
    const assignee = await api('POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-01', summary: 'X', contact_ids: [anna.id], follow_up_assignee_id: editor.user.id })
    expect((await assignee.json()).error.fields.follow_up_on).toBeTruthy()
    const bad = await api('POST', '/api/v1/interactions', { kind: 'lunch', occurred_on: '1 nov', summary: '', organisation_ids: [jonkoping.id], extra: 1 })
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(['extra', 'kind', 'occurred_on', 'summary'])
  })

  it('gives a follow-up without an assignee to whoever logged it', async () => {
    const i = await created('/api/v1/interactions', { kind: 'email', occurred_on: '2026-11-03', summary: 'Skickade rapporten', organisation_ids: [migrationsverket.id], follow_up_on: '2026-12-01' })
    expect(i.follow_up_assignee_id).toBe(editor.user.id)
  })

  it('replaces the links on PATCH, audits before and after, and answers a stale version with 409', async () => {
    const i = await created('/api/v1/interactions', { kind: 'meeting', occurred_on: '2026-11-04', summary: 'Styrgruppsmöte', contact_ids: [anna.id] })
    const res = await api('PATCH', `/api/v1/interactions/${i.id}`, { version: 1, contact_ids: [bertil.id], organisation_ids: [migrationsverket.id] })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ contact_ids: [bertil.id], organisation_ids: [migrationsverket.id], summary: 'Styrgruppsmöte', version: 2 })
    expect((await recordTimeline(t.db, 'contact', anna.id)).some((e) => e.link === `/interactions/${i.id}`)).toBe(false)
    const stale = await api('PATCH', `/api/v1/interactions/${i.id}`, { version: 1, summary: 'Ändrat i smyg', contact_ids: [] })
    expect(stale.status).toBe(409)
    const now = await (await api('GET', `/api/v1/interactions/${i.id}`)).json()
    expect(now).toMatchObject({ summary: 'Styrgruppsmöte', contact_ids: [bertil.id], version: 2 })
    const audit = await (await api('GET', `/api/v1/audit?entity_type=interaction&entity_id=${i.id}`, undefined, admin)).json()
    expect(audit.data[0].changes.contact_ids).toEqual([[anna.id], [bertil.id]])
    const emptied = await api('PATCH', `/api/v1/interactions/${i.id}`, { version: 2, contact_ids: [], organisation_ids: [] })
    expect(emptied.status).toBe(400)
  })

  it('filters by contact, organisation, kind, dates and open or overdue follow-ups', async () => {
    const past = addDays(today(), -30)
    const future = addDays(today(), 30)
    const overdue = await created('/api/v1/interactions', { kind: 'call', occurred_on: past, summary: 'Försenad sak', contact_ids: [cecilia.id], follow_up_on: addDays(past, 7) })
    const open = await created('/api/v1/interactions', { kind: 'call', occurred_on: past, summary: 'Öppen sak', contact_ids: [cecilia.id], follow_up_on: future })
    const ids = async (query: string) => ((await (await api('GET', `/api/v1/interactions?${query}`)).json()).data as { id: string }[]).map((x) => x.id)
    expect(await ids(`contact_id=${cecilia.id}&follow_up=overdue`)).toEqual([overdue.id])
    expect(sorted(await ids(`contact_id=${cecilia.id}&follow_up=open`))).toEqual(sorted([overdue.id, open.id]))
    expect(await ids(`organisation_id=${migrationsverket.id}&kind=meeting&from=2026-11-02&to=2026-11-02`)).toHaveLength(1)
    expect((await ids(`contact_id=${anna.id}&contact_id=${cecilia.id}`)).length).toBeGreaterThanOrEqual(4)
    const first = await (await api('GET', '/api/v1/interactions?limit=2')).json()
    const second = await (await api('GET', `/api/v1/interactions?limit=2&cursor=${first.next_cursor}`)).json()
    expect(second.data.map((x: { id: string }) => x.id)).not.toContain(first.data[0].id)
  })

  it('marks a follow-up done once, audited, and refuses one that has none', async () => {
    const i = await created('/api/v1/interactions', { kind: 'meeting', occurred_on: '2026-11-06', summary: 'Följ upp avtal', organisation_ids: [jonkoping.id], follow_up_on: '2026-11-20' })
    const res = await t.request(`/api/v1/interactions/${i.id}/done`, { method: 'POST', headers: editor.headers })
    expect(res.status).toBe(200)
    const done = await res.json()
    expect(done).toMatchObject({ follow_up_done: true, version: 2 })
    expect((await api('POST', `/api/v1/interactions/${i.id}/done`, {})).status).toBe(200)
    const audit = await (await api('GET', `/api/v1/audit?entity_type=interaction&entity_id=${i.id}`, undefined, admin)).json()
    expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['update', 'create'])
    expect(Object.keys(audit.data[0].changes)).toEqual(['follow_up_done_at'])
    const plain = await created('/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-06', summary: 'Bara en notering', organisation_ids: [jonkoping.id] })
    expect((await api('POST', `/api/v1/interactions/${plain.id}/done`, {})).status).toBe(400)
  })

  it('deletes softly: gone from lists and timelines; an admin restores it', async () => {
    const i = await created('/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-07', summary: 'Felaktig notering', contact_ids: [bertil.id] })
    expect((await api('DELETE', `/api/v1/interactions/${i.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/interactions/${i.id}`)).status).toBe(404)
    expect((await recordTimeline(t.db, 'contact', bertil.id)).some((e) => e.link === `/interactions/${i.id}`)).toBe(false)
    expect((await api('POST', `/api/v1/interactions/${i.id}/restore`)).status).toBe(403)
    const restored = await api('POST', `/api/v1/interactions/${i.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).contact_ids).toEqual([bertil.id])
    expect((await recordTimeline(t.db, 'contact', bertil.id)).some((e) => e.link === `/interactions/${i.id}`)).toBe(true)
  })
})

describe('interaction pages', () => {
  it('prefills the new form with the organisation it was opened from', async () => {
    const { status, html } = await page(`/interactions/new?organisation_id=${jonkoping.id}`)
    expect(status).toBe(200)
    expect(html).toMatch(new RegExp(`name="organisation_ids" value="${jonkoping.id}"[^>]*checked`))
    expect(html).toContain('Länsstyrelsen i Jönköpings län')
    expect(html).toContain(`value="${today()}"`)
  })

  it('finds contacts to add and keeps the ones already picked', async () => {
    const { html } = await page(`/interactions/picker/contacts?contact_q=ceder&contact_ids=${anna.id}`, { headers: { 'hx-request': 'true' } })
    expect(html).toMatch(new RegExp(`value="${anna.id}"[^>]*checked`))
    expect(html).toMatch(new RegExp(`value="${cecilia.id}"(?![^>]*checked)`))
    expect(html).not.toContain('<html')
  })

  it('puts messages next to the fields and keeps what was typed', async () => {
    const res = await page('/interactions', formPost({ kind: 'meeting', occurred_on: '2026-13-40', summary: 'Mitt utkast' }, browser.cookie))
    expect(res.status).toBe(422)
    expect(res.html).toMatch(/id="f-occurred_on-error">Ange datum som ÅÅÅÅ-MM-DD\./)
    expect(res.html).toMatch(/id="f-contact_ids-error">Koppla minst en kontakt eller organisation\./)
    expect(res.html).toContain('Mitt utkast')
  })

  it('creates from the form, with a follow-up and several links, and shows it', async () => {
    const body = new URLSearchParams({ kind: 'meeting', occurred_on: '2026-11-10', summary: 'Workshop om metodstöd', follow_up_on: '2026-12-10', follow_up_assignee_id: browser.user.id })
    body.append('contact_ids', anna.id)
    body.append('contact_ids', bertil.id)
    body.append('organisation_ids', migrationsverket.id)
    const init = formPost({}, browser.cookie)
    const res = await t.request('/interactions', { ...init, body: body.toString() })
    expect(res.status).toBe(303)
    const show = await page(res.headers.get('location')!)
    expect(show.html).toContain('Workshop om metodstöd')
    expect(show.html).toContain('>Anna Andersson</a>')
    expect(show.html).toContain('>Bertil Berg</a>')
    expect(show.html).toContain('>Migrationsverket</a>')
    expect(show.html).toContain('Följ upp senast 2026-12-10')
  })

  it('keeps what the user typed when someone else saved first', async () => {
    const i = await created('/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-11', summary: 'Första versionen', contact_ids: [anna.id] })
    await api('PATCH', `/api/v1/interactions/${i.id}`, { version: 1, summary: 'Kollegans version' })
    const res = await page(`/interactions/${i.id}`, formPost({ version: '1', kind: 'note', occurred_on: '2026-11-11', summary: 'Min version', contact_ids: anna.id }, browser.cookie))
    expect(res.status).toBe(409)
    expect(res.html).toContain('Någon annan har ändrat')
    expect(res.html).toContain('Min version')
    expect(res.html).toContain('Kollegans version')
    expect(res.html).toContain('name="version" value="2"')
  })

  it('marks done with a fragment for htmx and a redirect for a plain form', async () => {
    const a = await created('/api/v1/interactions', { kind: 'call', occurred_on: '2026-11-12', summary: 'Ring tillbaka', contact_ids: [anna.id], follow_up_on: '2026-11-19' })
    const htmx = await page(`/interactions/${a.id}/done`, { ...formPost({ back: '/' }, browser.cookie), headers: { ...formPost({}, browser.cookie).headers as Record<string, string>, 'hx-request': 'true' } })
    expect(htmx.status).toBe(200)
    expect(htmx.html.trim().startsWith(`<li class="follow-up is-done" id="follow-up-${a.id}"`)).toBe(true)
    expect(htmx.html).not.toContain('Markera som klar')
    const b = await created('/api/v1/interactions', { kind: 'call', occurred_on: '2026-11-12', summary: 'Skicka underlag', contact_ids: [anna.id], follow_up_on: '2026-11-19' })
    const plain = await page(`/interactions/${b.id}/done`, formPost({ back: '/' }, browser.cookie))
    expect(plain.status).toBe(303)
    expect(plain.res.headers.get('location')).toBe('/')
    expect((await (await api('GET', `/api/v1/interactions/${b.id}`)).json()).follow_up_done).toBe(true)
  })

  it('deletes from the detail page and lets an admin restore from the deleted list', async () => {
    const i = await created('/api/v1/interactions', { kind: 'note', occurred_on: '2026-11-13', summary: 'Dubblett', organisation_ids: [migrationsverket.id] })
    const del = await page(`/interactions/${i.id}/delete`, formPost({ version: '1' }, browser.cookie))
    expect(del.status).toBe(303)
    expect((await page(`/interactions/${i.id}`)).status).toBe(404)
    const adminBrowser = await t.browser('admin')
    const list = await t.request('/interactions?deleted=1', { headers: { cookie: adminBrowser.cookie } })
    expect(await list.text()).toContain(`action="/interactions/${i.id}/restore"`)
    const restore = await t.request(`/interactions/${i.id}/restore`, formPost({}, adminBrowser.cookie))
    expect(restore.status).toBe(303)
    expect((await page(`/interactions/${i.id}`)).status).toBe(200)
  })
})
