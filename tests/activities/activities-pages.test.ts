import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, auditOf, type Api } from './helpers.ts'

let t: TestApp
let h: Api
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let editor: { cookie: string }
let viewer: { cookie: string }
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  admin = await t.apiToken('admin')
  editor = await t.browser('editor')
  viewer = await t.browser('viewer')
})
afterAll(() => t.close())

const page = async (path: string, who = editor) => {
  const res = await t.request(path, { headers: { cookie: who.cookie } })
  return { status: res.status, html: await res.text() }
}
const post = (path: string, fields: Record<string, string>, who = editor) => t.request(path, formPost(fields, who.cookie))
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('activity pages', () => {
  it('records an activity through the form and shows it, with its influence record', async () => {
    const ministry = await h.organisation('Justitiedepartementet', { kind: 'ministry' })
    const res = await post('/activities', {
      title: 'Remissvar om mottagandet', type: 'policy_input', status: 'done', start_date: '2026-04-02', level: 'vertical',
      location: 'Stockholm', audience_size: '', outcome: 'Inskickat i tid',
      'influence.organisation_id': ministry.id, 'influence.request': 'Tidig hälsoundersökning', 'influence.result': 'adopted',
      'influence.evidence': 'Dir. 2026:12', 'influence.result_date': '2026-10-01',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/activities\/[0-9a-f-]{36}$/)
    const { html } = await page(location)
    const shown = text(html)
    expect(shown).toContain('Remissvar om mottagandet')
    expect(shown).toContain('Remissvar/policyinspel')
    expect(shown).toContain('Påverkan (vertikal)')
    expect(shown).toContain('Justitiedepartementet')
    expect(shown).toContain('Tidig hälsoundersökning')
    expect(shown).toContain('Antogs')
    expect(shown).toContain('Dir. 2026:12')
  })

  it('shows the errors next to the fields when the form is wrong, keeping what was typed', async () => {
    const res = await post('/activities', { title: '', type: 'seminar', status: 'planned', start_date: '2026-05-10', end_date: '2026-05-01' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-title-error"')
    expect(html).toContain('Slutdatumet kan inte vara före startdatumet.')
    expect(html).toContain('value="2026-05-10"')
  })

  it('lists activities with filters and finds them by title', async () => {
    await h.activity({ title: 'Workshop om samverkan i Kalmar', type: 'workshop', start_date: '2026-06-01' })
    await h.activity({ title: 'Nyhetsbrev juni', type: 'newsletter', start_date: '2026-06-15' })
    let { html } = await page('/activities?type=workshop')
    expect(html).toContain('Workshop om samverkan i Kalmar')
    expect(html).not.toContain('Nyhetsbrev juni')
    ;({ html } = await page('/activities?q=kalmar'))
    expect(html).toContain('Workshop om samverkan i Kalmar')
    ;({ html } = await page('/activities', viewer))
    expect(html).toContain('Nyhetsbrev juni')
    expect(html).not.toContain('href="/activities/new"')
  })

  it('groups the participants on the detail page by attendance, with counts', async () => {
    const [a, b, c] = [await h.contact('Gun', 'Gren'), await h.contact('Hans', 'Hed'), await h.contact('Ines', 'Ivar')]
    const act = await h.activity({
      title: 'Konferens om etablering', participants: [
        { contact_id: a.id, attendance: 'attended' }, { contact_id: b.id, attendance: 'attended' }, { contact_id: c.id, attendance: 'no_show' },
      ],
    })
    const { html } = await page(`/activities/${act.id}`)
    const attended = html.slice(html.indexOf('id="att-attended-h"'), html.indexOf('id="att-no_show-h"'))
    expect(text(attended)).toMatch(/Deltog 2/)
    expect(attended).toContain('Gren')
    expect(attended).toContain('Hed')
    expect(text(html.slice(html.indexOf('id="att-no_show-h"')))).toMatch(/Uteblev 1 .*Ivar/)
  })

  it('pre-fills participants, themes and products on the new form from a link', async () => {
    const [p1, p2] = [await h.contact('Jon', 'Jarl'), await h.contact('Kim', 'Krok')]
    const county = await h.organisation('Länsstyrelsen Kalmar län', { kind: 'county_board' })
    const theme = await h.create('/api/v1/themes', { name: 'Bostad' })
    const plan = await t.db
      .insertInto('plans')
      .values({ name: 'Nå länsstyrelserna', sort_name: 'na lansstyrelserna', theme_ids: [theme.id] })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { status, html } = await page(`/activities/new?contact_id=${p1.id}&contact_id=${p2.id}&organisation_id=${county.id}&plan_id=${plan.id}`)
    expect(status).toBe(200)
    expect(html).toContain(`value="${p1.id}"`)
    expect(html).toContain(`value="${p2.id}"`)
    expect(html).toContain(`value="${county.id}"`)
    expect(html).toContain('Nå länsstyrelserna')
    expect(html).toMatch(new RegExp(`value="${theme.id}" id="theme-${theme.id}" checked`))
    // Saving keeps the pre-filled people, except the one left out.
    const res = await post('/activities', {
      title: 'Seminarium för länen', type: 'seminar', status: 'planned', theme_ids: theme.id,
      'participants.0.contact_id': p1.id, 'participants.0.organisation_id': '', 'participants.0.role': 'participant', 'participants.0.attendance': 'invited',
      'participants.1.contact_id': p2.id, 'participants.1.organisation_id': '', 'participants.1.role': 'speaker', 'participants.1.attendance': 'invited', 'participants.1.remove': '1',
      'participants.2.contact_id': '', 'participants.2.organisation_id': county.id, 'participants.2.role': 'recipient', 'participants.2.attendance': 'invited',
    })
    expect(res.status).toBe(303)
    const saved = await h.get(`/api/v1${res.headers.get('location')}`)
    expect(saved.participants.map((p: { contact_id: string | null; organisation_id: string | null; role: string }) => [p.contact_id, p.organisation_id, p.role]).sort()).toEqual(
      [[p1.id, null, 'participant'], [null, county.id, 'recipient']].sort(),
    )
  })

  it('keeps what was typed and shows the stored values when someone else saved first (409)', async () => {
    const a = await h.activity({ title: 'Kurs i Örebro', type: 'course' })
    await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, title: 'Kurs i Örebro län' })
    const res = await post(`/activities/${a.id}`, { version: '1', title: 'Kurs i Örebro stad', type: 'course', status: 'planned' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('value="Kurs i Örebro stad"')
    expect(html).toContain('Sparat nu: Kurs i Örebro län')
    expect((await h.get(`/api/v1/activities/${a.id}`)).title).toBe('Kurs i Örebro län')
  })

  it('keeps the participants when the edit form is saved', async () => {
    const c = await h.contact('Lisa', 'Lund')
    const a = await h.activity({ title: 'Studiebesök i Lund', participants: [{ contact_id: c.id, attendance: 'attended' }] })
    const res = await post(`/activities/${a.id}`, { version: '1', title: 'Studiebesök i Lund och Malmö', type: 'study_visit', status: 'done' })
    expect(res.status).toBe(303)
    const saved = await h.get(`/api/v1/activities/${a.id}`)
    expect(saved.participants).toEqual(a.participants)
  })

  it('deletes softly and lets an admin restore from the deleted view', async () => {
    const a = await h.activity({ title: 'Artikel i Dagens Samhälle', type: 'article' })
    expect((await post(`/activities/${a.id}/delete`, { version: '1' })).status).toBe(303)
    expect((await page(`/activities/${a.id}`)).status).toBe(404)
    const adminBrowser = await t.browser('admin')
    expect((await page('/activities?deleted=1', adminBrowser)).html).toContain('Artikel i Dagens Samhälle')
    expect((await post(`/activities/${a.id}/restore`, {}, editor)).status).toBe(403)
    expect((await post(`/activities/${a.id}/restore`, {}, adminBrowser)).status).toBe(303)
    expect((await page(`/activities/${a.id}`)).status).toBe(200)
    expect((await auditOf(h, a.id, admin)).map((r) => r.action)).toEqual(['create', 'delete', 'restore'])
  })
})
