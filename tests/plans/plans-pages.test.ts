import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, insertActivity } from './helpers.ts'

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

const page = (path: string, cookie = editor.cookie, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } })
const post = (path: string, fields: Record<string, string>, cookie = editor.cookie) => t.request(path, formPost(fields, cookie))
const postMany = (path: string, fields: [string, string][], cookie = editor.cookie) => {
  const init = formPost({}, cookie)
  return t.request(path, { ...init, body: new URLSearchParams(fields).toString() })
}

describe('plan pages', () => {
  it('says what to do when there are no plans yet, and is in the menu', async () => {
    const html = await (await page('/plans')).text()
    expect(html).toContain('Det finns inga spridningsplaner ännu.')
    expect(html).toContain('href="/plans/new"')
    expect(html).toMatch(/<a href="\/plans" aria-current="page">Spridningsplaner<\/a>/)
  })

  it('shows each plan in the list with its status and a progress bar with its numbers as text', async () => {
    const boards = await Promise.all(['Gotlands', 'Hallands', 'Dalarnas'].map((c) => h.organisation(`Länsstyrelsen i ${c} län`, 'county_board', { county: `${c} län` })))
    const plan = await h.plan({ name: 'Alla länsstyrelser', status: 'active', deadline: '2026-06-30', target: { organisation_ids: boards.map((b) => b.id) } })
    await insertActivity(t.db, { start_date: '2026-02-01', participants: [{ organisation_id: boards[0]!.id }] })
    const html = await (await page('/plans')).text()
    expect(html).toContain(`<a href="/plans/${plan.id}">Alla länsstyrelser</a>`)
    expect(html).toContain('<span class="status-tag plan-status-active">Pågår</span>')
    expect(html).toContain('<progress max="3" value="1" aria-label="Alla länsstyrelser: 1 av 3 nådda"></progress>')
    expect(html).toContain('<span class="plan-progress-text">1 av 3</span>')
    const fragment = await (await page('/plans?status=draft', editor.cookie, { 'hx-request': 'true' })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).not.toContain('Alla länsstyrelser')
  })

  it('creates a plan from the form with chosen records and filter checkboxes, and shows it', async () => {
    const org = await h.organisation('Integrationsverket', 'authority')
    const person = await h.contact('Greta', 'Formsson')
    const form = await (await page('/plans/new')).text()
    expect(form).toContain('name="organisation_ids~organisation+"')
    expect(form).toContain('hx-get="/contacts/options"')
    expect(form).toContain('name="filter_kinds" value="county_board"')
    const res = await postMany('/plans', [
      ['name', 'Metoden till länen'], ['goal', 'Alla länsstyrelsers integrationshandläggare känner till metoden'], ['deadline', '2026-06-30'],
      ['status', 'active'], ['organisation_ids', org.id], ['contact_ids', person.id], ['q', ''],
      ['filter_categories', 'official'], ['filter_affiliated_kinds', 'county_board'],
      ['qualifying_attendance', 'attended'], ['qualifying_attendance', 'received'],
    ])
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    const id = location.split('/').pop()!
    const stored = await h.get(`/api/v1/plans/${id}`)
    expect(stored.target).toEqual({ organisation_ids: [org.id], contact_ids: [person.id], filter: { categories: ['official'], affiliated_kinds: ['county_board'] } })
    const html = await (await page(location)).text()
    expect(html).toContain('Metoden till länen <span class="status-tag plan-status-active">Pågår</span>')
    expect(html).toContain('Filter: personer i kategorin Tjänsteperson, personer som nu arbetar på Länsstyrelse')
    expect(html).toContain('1 utvald organisation')
    expect(html).toContain(`<a href="/organisations/${org.id}">Integrationsverket</a>`)
    const edit = await (await page(`/plans/${id}/edit`)).text()
    expect(edit).toMatch(new RegExp(`name="organisation_ids" value="${org.id}" id="f-organisation_ids-chip-${org.id}" checked`))
    expect(edit).toMatch(/name="filter_categories" value="official" id="[^"]+" checked/)
  })

  it('shows the form again with messages next to the fields when something is wrong', async () => {
    const res = await postMany('/plans', [['name', ''], ['deadline', '2026-13-01']])
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/<p class="error" id="f-name-error">/)
    expect(html).toMatch(/<p class="error" id="f-deadline-error">/)
    expect(html).toContain('Välj minst ett sätt att delta.')
  })

  it('keeps what was typed and shows the stored plan when someone else saved first', async () => {
    const plan = await h.plan({ name: 'Samtidigt' })
    await h.api('PATCH', `/api/v1/plans/${plan.id}`, { name: 'Ändrad av någon annan', version: plan.version })
    const res = await postMany(`/plans/${plan.id}`, [['name', 'Mitt namn'], ['version', String(plan.version)], ['qualifying_attendance', 'attended']])
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('value="Mitt namn"')
    expect(html).toContain('Ändrad av någon annan')
  })

  it('lists who was reached through which activity, and those not yet reached with one action to plan an activity for them', async () => {
    const reached = await h.contact('Nådd', 'Aktivitetsson')
    const missing = await h.contact('Saknad', 'Aktivitetsson')
    const org = await h.organisation('Hylte kommun', 'municipality')
    const plan = await h.plan({ name: 'Visa vägen', target: { contact_ids: [reached.id, missing.id], organisation_ids: [org.id] } })
    const activity = await insertActivity(t.db, { title: 'Seminarium i Halmstad', start_date: '2026-03-03', participants: [{ contact_id: reached.id }] })
    const html = await (await page(`/plans/${plan.id}`)).text()
    expect(html).toContain(`<a href="/activities/${activity}">Seminarium i Halmstad</a> <span class="muted">2026-03-03</span>`)
    expect(html).toContain('Ännu inte nådda (2)')
    expect(html).toContain(`href="/activities/new?plan_id=${plan.id}&amp;organisation_id=${org.id}&amp;contact_id=${missing.id}"`)
    expect(html).toContain('Planera en aktivitet för dem')
    // A viewer sees the lists but not the action.
    const asViewer = await (await page(`/plans/${plan.id}`, viewer.cookie)).text()
    expect(asViewer).toContain('Ännu inte nådda (2)')
    expect(asViewer).not.toContain('Planera en aktivitet för dem')
  })

  it('plans an activity through a form when too many are not yet reached for a link, and opens it for editing', async () => {
    const rows = await t.db
      .insertInto('contacts')
      .values(Array.from({ length: 160 }, (_, i) => ({ first_name: 'Massa', last_name: `Mottagare ${i}`, sort_name: `mottagare ${i}` })) as never)
      .returning('id')
      .execute()
    const plan = await h.plan({ name: 'Stort utskick', target: { contact_ids: rows.map((r) => r.id) } })
    const html = await (await page(`/plans/${plan.id}`)).text()
    expect(html).toContain(`<form method="post" action="/plans/${plan.id}/plan-activity">`)
    const res = await post(`/plans/${plan.id}/plan-activity`, {})
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/activities\/[0-9a-f-]{36}\/edit$/)
    const activityId = location.split('/')[2]!
    const activity = await h.get(`/api/v1/activities/${activityId}`)
    expect(activity).toMatchObject({ status: 'planned', title: 'Aktivitet för Stort utskick' })
    expect(activity.participants).toHaveLength(160)
  })

  it('shows the plan’s coverage by target group and county, marking where no one is reached', async () => {
    const jkp = await h.organisation('Länsstyrelsen Jönköping (test)', 'county_board', { county: 'Jönköpings län' })
    const kal = await h.organisation('Länsstyrelsen Kalmar (test)', 'county_board', { county: 'Kalmar län' })
    const a = await h.contact('Ann', 'Jönköpingsson', { categories: ['official'], affiliations: [{ organisation_id: jkp.id }] })
    const b = await h.contact('Bea', 'Kalmarsson', { categories: ['official'], affiliations: [{ organisation_id: kal.id }] })
    const plan = await h.plan({ name: 'Täckningsplan', target: { contact_ids: [a.id, b.id] } })
    await insertActivity(t.db, { participants: [{ contact_id: a.id }] })
    const html = await (await page(`/plans/${plan.id}`)).text()
    const matrix = html.split('id="coverage-contact"')[1]!.split('</table>')[0]!
    expect(matrix).toContain('<th scope="row">Tjänsteperson</th>')
    expect(matrix).toMatch(/<td class="cell-reached">1 av 1<\/td>/)
    expect(matrix).toMatch(/<td class="cell-gap">0 av 1 <span class="gap-mark">ingen nådd<\/span><\/td>/)
    expect(matrix).toContain('<span class="visually-hidden">ingen i målgruppen</span>')
    expect(html).toContain('1 ruta där ingen är nådd')
    expect(html).not.toContain('id="coverage-organisation"')
  })

  it('adds a chosen record to the form’s list without saving (htmx)', async () => {
    const org = await h.organisation('Botkyrka kommun', 'municipality')
    const html = await (await page(`/plans/target-row?organisation_ids=${org.id}`, editor.cookie, { 'hx-request': 'true' })).text()
    expect(html).toContain(`<input type="checkbox" name="organisation_ids" value="${org.id}" id="chosen-${org.id}" checked>`)
    expect(html).toContain('Botkyrka kommun')
  })

  it('closes and reopens a plan by hand', async () => {
    const plan = await h.plan({ name: 'Stängs', status: 'active' })
    expect((await post(`/plans/${plan.id}/status`, { status: 'closed', version: String(plan.version) })).status).toBe(303)
    expect((await h.get(`/api/v1/plans/${plan.id}`)).status).toBe('closed')
    const html = await (await page(`/plans/${plan.id}`)).text()
    expect(html).toContain('Öppna planen igen')
    expect((await post(`/plans/${plan.id}/status`, { status: 'active', version: String(plan.version + 1) })).status).toBe(303)
    expect((await h.get(`/api/v1/plans/${plan.id}`)).status).toBe('active')
  })

  it('shows the achieved plan’s new status on its page the moment it is complete', async () => {
    const person = await h.contact('Klar', 'Planesson')
    const plan = await h.plan({ name: 'Blir klar', status: 'active', target: { contact_ids: [person.id] } })
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const html = await (await page(`/plans/${plan.id}`)).text()
    expect(html).toContain('Blir klar <span class="status-tag plan-status-achieved">Uppnådd</span>')
    expect(html).toContain('Planen är uppnådd: alla i målgruppen är nådda.')
  })

  it('deletes a plan softly and lets an admin restore it', async () => {
    const plan = await h.plan({ name: 'Tas bort' })
    expect((await post(`/plans/${plan.id}/delete`, { version: String(plan.version) })).status).toBe(303)
    expect((await page(`/plans/${plan.id}`)).status).toBe(404)
    const admin = await t.browser('admin')
    const deleted = await (await page('/plans?deleted=1', admin.cookie)).text()
    expect(deleted).toContain('Tas bort')
    expect((await post(`/plans/${plan.id}/restore`, {}, admin.cookie)).status).toBe(303)
    expect((await page(`/plans/${plan.id}`)).status).toBe(200)
  })

  it('exports the list as CSV with the progress counted', async () => {
    const res = await page('/plans?format=csv')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text.split('\r\n')[0]).toContain('target_count,reached_count')
    expect(text).toMatch(/Alla länsstyrelser,active,,2026-06-30,3,1,/)
  })

  it('lists the first 200 of a large target group on the plan page, and all of them when asked', async () => {
    // A 7 MB page for a target group of 15 000 took 5 s to become usable (bench/README.md).
    await sql`insert into contacts (first_name, last_name, sort_name, search_text, tags)
      select 'Sida', 'Person ' || lpad(i::text, 3, '0'), 'person ' || lpad(i::text, 3, '0') || ' sida', 'sida person ' || i, '{sidvisning}'
      from generate_series(1, 205) i`.execute(t.db)
    const plan = await h.plan({ name: 'Stor målgrupp', status: 'active', target: { filter: { tags: ['sidvisning'] } } })
    const items = (html: string) => (html.split('id="not-reached-list"')[1]!.split('</ul>')[0]!.match(/<li>/g) ?? []).length
    const first = await (await page(`/plans/${plan.id}`)).text()
    expect(first).toContain('Ännu inte nådda (205)')
    expect(items(first)).toBe(200)
    expect(first).toContain('Visar 200 av 205.')
    expect(first).toContain(`<a href="/plans/${plan.id}?show=all#not-reached">Visa alla 205</a>`)
    const all = await (await page(`/plans/${plan.id}?show=all`)).text()
    expect(items(all)).toBe(205)
    expect(all).not.toContain('Visar 200 av 205.')
  })
})
