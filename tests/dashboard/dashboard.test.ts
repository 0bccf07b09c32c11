import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { myFollowUps, recentChanges } from '../../src/dashboard/dashboard.repo.ts'
import { addDays } from '../../src/interactions/follow-ups.ts'
import { createInteraction } from '../../src/interactions/interactions.service.ts'
import { createOrganisation } from '../../src/organisations/organisations.service.ts'
import { formatDate } from '../../src/web/format.ts'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'

const TODAY = '2026-11-22'

let t: TestApp
let me: Awaited<ReturnType<TestApp['browser']>>
let colleague: Awaited<ReturnType<TestApp['browser']>>
let orgId: string

beforeAll(async () => {
  t = await testApp()
  me = await t.browser('editor')
  colleague = await t.browser('editor')
  orgId = (await createOrganisation(t.db, { name: 'Länsstyrelsen i Skåne län', kind: 'county_board', country: 'SE', county: 'Skåne län', short_name: null, org_number: null, website: null, parent_id: null, influence: null, interest: null, tags: [], theme_ids: [], notes: null }, { userId: colleague.user.id })).id
})
afterAll(() => t.close())

const followUp = (summary: string, due: string | null, assignee: string, occurred = '2026-11-01') =>
  createInteraction(t.db, {
    kind: 'meeting', occurred_on: occurred, summary, contact_ids: [], organisation_ids: [orgId], follow_up_on: due, follow_up_assignee_id: due ? assignee : null, follow_up_note: null,
  }, { userId: me.user.id })

const summaries = (items: { summary: string }[]) => items.map((i) => i.summary)

describe('my follow-ups, relative to a given day', () => {
  it('sorts open follow-ups into overdue (before today) and upcoming (today and the next 14 days), only mine', async () => {
    await followUp('Sedan länge', addDays(TODAY, -20), me.user.id)
    await followUp('Igår', addDays(TODAY, -1), me.user.id)
    await followUp('Idag', TODAY, me.user.id)
    await followUp('Om två veckor', addDays(TODAY, 14), me.user.id)
    await followUp('Om femton dagar', addDays(TODAY, 15), me.user.id)
    await followUp('Kollegans', addDays(TODAY, -3), colleague.user.id)
    await followUp('Ingen uppföljning', null, me.user.id)
    const mine = await myFollowUps(t.db, me.user.id, TODAY)
    expect(summaries(mine.overdue)).toEqual(['Sedan länge', 'Igår'])
    expect(summaries(mine.upcoming)).toEqual(['Idag', 'Om två veckor'])
    expect(mine.overdue[0]!.organisations.map((o) => o.name)).toEqual(['Länsstyrelsen i Skåne län'])
    const later = await myFollowUps(t.db, me.user.id, addDays(TODAY, 2))
    expect(summaries(later.overdue)).toEqual(['Sedan länge', 'Igår', 'Idag'])
    expect(summaries(later.upcoming)).toEqual(['Om två veckor', 'Om femton dagar'])
  })
})

describe('the dashboard page', () => {
  const home = async (who = me) => (await t.request('/', { headers: { cookie: who.cookie } })).text()
  const section = (html: string, id: string) => {
    const start = html.indexOf(`id="${id}"`)
    return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start))
  }

  it('shows my overdue and upcoming follow-ups with their records, a link and a done button', async () => {
    const today = formatDate(new Date())
    const late = await followUp('Skicka protokollet', addDays(today, -10), me.user.id)
    const soon = await followUp('Boka uppföljningsmöte', addDays(today, 5), me.user.id)
    await followUp('Långt fram', addDays(today, 40), me.user.id)
    const html = await home()
    const overdue = section(html, 'overdue-h')
    const upcoming = section(html, 'upcoming-h')
    expect(overdue).toContain(`href="/interactions/${late.id}"`)
    expect(overdue).toContain('Skicka protokollet')
    expect(overdue).toContain(`href="/organisations/${orgId}">Länsstyrelsen i Skåne län</a>`)
    expect(overdue).toContain(`action="/interactions/${late.id}/done"`)
    expect(overdue).not.toContain('Boka uppföljningsmöte')
    expect(upcoming).toContain('Boka uppföljningsmöte')
    expect(upcoming).toContain(`action="/interactions/${soon.id}/done"`)
    expect(overdue + upcoming).not.toContain('Långt fram')
    expect(section(await home(colleague), 'overdue-h')).not.toContain('Skicka protokollet')
  })

  it("shows a follow-up's own short text instead of the whole interaction when it has one", async () => {
    const today = formatDate(new Date())
    const long = 'Långt möte om mottagandet i länet. ' + 'Vi gick igenom statistik, lokaler och tolkar. '.repeat(8)
    const i = await createInteraction(t.db, {
      kind: 'meeting', occurred_on: today, summary: long, contact_ids: [], organisation_ids: [orgId],
      follow_up_on: addDays(today, 3), follow_up_assignee_id: me.user.id, follow_up_note: 'Skicka avtalsutkastet till Malmö',
    }, { userId: me.user.id })
    const upcoming = section(await home(), 'upcoming-h')
    expect(upcoming).toContain(`<a href="/interactions/${i.id}">Skicka avtalsutkastet till Malmö</a>`)
    expect(upcoming).not.toContain('Långt möte om mottagandet')
  })

  it('keeps a follow-up text through the form and the API, and refuses one longer than 200 characters', async () => {
    const res = await t.request('/api/v1/interactions', {
      method: 'POST', headers: { cookie: me.cookie, 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ kind: 'call', occurred_on: '2026-11-02', summary: 'Samtal', organisation_ids: [orgId], follow_up_on: '2026-11-20', follow_up_note: 'Ring igen' }),
    })
    expect(res.status).toBe(201)
    expect((await res.json()).follow_up_note).toBe('Ring igen')
    const tooLong = await t.request('/api/v1/interactions', {
      method: 'POST', headers: { cookie: me.cookie, 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ kind: 'call', occurred_on: '2026-11-02', summary: 'Samtal', organisation_ids: [orgId], follow_up_on: '2026-11-20', follow_up_note: 'x'.repeat(201) }),
    })
    expect(tooLong.status).toBe(400)
    expect((await tooLong.json()).error.fields).toHaveProperty('follow_up_note')
  })

  it('drops a follow-up from the dashboard once it is marked done, and records who did it', async () => {
    const today = formatDate(new Date())
    const i = await followUp('Återkoppla till länsstyrelsen', addDays(today, -4), me.user.id)
    expect(await home()).toContain('Återkoppla till länsstyrelsen')
    const res = await t.request(`/interactions/${i.id}/done`, formPost({ back: '/' }, me.cookie))
    expect(res.status).toBe(303)
    expect(await home()).not.toContain(`id="follow-up-${i.id}"`)
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', i.id).where('action', '=', 'update').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.user_id).toBe(me.user.id)
    expect(Object.keys(audit[0]!.changes)).toEqual(['follow_up_done_at'])
  })

  it('lists the 15 newest changes by anyone, newest first, with who and a link to the record', async () => {
    for (let n = 0; n < 5; n++) await followUp(`Notering ${n}`, null, me.user.id)
    const recent = section(await home(), 'recent-h')
    expect(recent.match(/<li>/g)).toHaveLength(15)
    const changes = await recentChanges(t.db)
    expect(changes.map((c) => c.at.getTime())).toEqual(changes.map((c) => c.at.getTime()).sort((a, b) => b - a))
    const org = await createOrganisation(t.db, { name: 'Malmö stad', kind: 'municipality', country: 'SE', county: 'Skåne län', short_name: null, org_number: null, website: null, parent_id: null, influence: null, interest: null, tags: [], theme_ids: [], notes: null }, { userId: colleague.user.id })
    const first = section(await home(), 'recent-h').split('<li>')[1]!
    expect(first).toContain(colleague.user.name)
    expect(first).toContain('skapade organisation')
    expect(first).toContain(`href="/organisations/${org.id}">Malmö stad</a>`)
  })

  it('tells a new user what to do when there is nothing yet', async () => {
    const fresh = await testApp()
    try {
      const viewer = await fresh.browser('editor')
      const html = await (await fresh.request('/', { headers: { cookie: viewer.cookie } })).text()
      expect(html).toContain('Du har inga försenade uppföljningar.')
      expect(html).toContain('Inga uppföljningar de närmaste 14 dagarna.')
      expect(html).toContain('Börja med att lägga till en organisation.')
      expect(html).toContain('href="/organisations/new"')
    } finally {
      await fresh.close()
    }
  })
})
