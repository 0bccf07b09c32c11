import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, insertActivity, insertProduct } from './helpers.ts'

let t: TestApp
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort()

describe('plan progress: who counts as reached', () => {
  it('answers the contract shape: counts, reached with the activities, and those not yet reached', async () => {
    const anna = await h.contact('Anna', 'Exempelsson')
    const bo = await h.contact('Bo', 'Exempelsson')
    const plan = await h.plan({ name: 'Kontraktsformen', target: { contact_ids: [anna.id, bo.id] } })
    const activity = await insertActivity(t.db, { participants: [{ contact_id: anna.id }] })
    const p = await h.progress(plan.id)
    expect(p).toEqual({
      target_count: 2,
      reached_count: 1,
      reached: [{ type: 'contact', id: anna.id, label: 'Anna Exempelsson', via_activity_ids: [activity] }],
      not_reached: [{ type: 'contact', id: bo.id, label: 'Bo Exempelsson' }],
    })
  })

  it('counts attended and received, but not invited, registered or no-show', async () => {
    const people = await Promise.all(['Invited', 'Registered', 'Attended', 'Received', 'Noshow'].map((n) => h.contact(n, 'Närvarosson')))
    const plan = await h.plan({ name: 'Närvaro', target: { contact_ids: people.map((p) => p.id) } })
    const kinds = ['invited', 'registered', 'attended', 'received', 'no_show'] as const
    await insertActivity(t.db, { participants: people.map((p, i) => ({ contact_id: p.id, attendance: kinds[i] })) })
    const p = await h.progress(plan.id)
    expect(p.reached.map((r) => r.label).sort()).toEqual(['Attended Närvarosson', 'Received Närvarosson'])
    expect(p.not_reached.map((r) => r.label).sort()).toEqual(['Invited Närvarosson', 'Noshow Närvarosson', 'Registered Närvarosson'])
  })

  it('uses the plan’s own qualifying attendance when it names one', async () => {
    const reg = await h.contact('Registrerad', 'Anmälsson')
    const att = await h.contact('Deltagande', 'Anmälsson')
    const plan = await h.plan({ name: 'Anmälda räcker', target: { contact_ids: [reg.id, att.id] }, qualifying_attendance: ['registered'] })
    expect(plan.qualifying_attendance).toEqual(['registered'])
    await insertActivity(t.db, { participants: [{ contact_id: reg.id, attendance: 'registered' }, { contact_id: att.id, attendance: 'attended' }] })
    const p = await h.progress(plan.id)
    expect(ids(p.reached)).toEqual([reg.id])
  })

  it('defaults the qualifying attendance to attended and received', async () => {
    const plan = await h.plan({ name: 'Standard' })
    expect(plan.qualifying_attendance).toEqual(['attended', 'received'])
  })

  it('counts an activity dated exactly on the deadline, and not one the day after', async () => {
    const onDay = await h.contact('Sista', 'Dagsson')
    const dayAfter = await h.contact('Dagen', 'Efteråsson')
    const plan = await h.plan({ name: 'Till juni', deadline: '2026-06-30', target: { contact_ids: [onDay.id, dayAfter.id] } })
    await insertActivity(t.db, { start_date: '2026-06-30', participants: [{ contact_id: onDay.id }] })
    await insertActivity(t.db, { start_date: '2026-07-01', participants: [{ contact_id: dayAfter.id }] })
    const p = await h.progress(plan.id)
    expect(ids(p.reached)).toEqual([onDay.id])
    expect(ids(p.not_reached)).toEqual([dayAfter.id])
  })

  it('does not count an undated activity against a deadline, but does for a plan without one', async () => {
    const person = await h.contact('Odaterad', 'Datumlös')
    const withDeadline = await h.plan({ name: 'Med slutdag', deadline: '2026-12-31', target: { contact_ids: [person.id] } })
    const without = await h.plan({ name: 'Utan slutdag', target: { contact_ids: [person.id] } })
    await insertActivity(t.db, { start_date: null, participants: [{ contact_id: person.id }] })
    expect((await h.progress(withDeadline.id)).reached_count).toBe(0)
    expect((await h.progress(without.id)).reached_count).toBe(1)
  })

  it('does not count planned or cancelled activities', async () => {
    const planned = await h.contact('Planerad', 'Statusson')
    const cancelled = await h.contact('Inställd', 'Statusson')
    const plan = await h.plan({ name: 'Bara genomförda', target: { contact_ids: [planned.id, cancelled.id] } })
    await insertActivity(t.db, { status: 'planned', participants: [{ contact_id: planned.id }] })
    await insertActivity(t.db, { status: 'cancelled', participants: [{ contact_id: cancelled.id }] })
    const p = await h.progress(plan.id)
    expect(p.reached_count).toBe(0)
    expect(p.target_count).toBe(2)
  })

  it('reaches an organisation through a person affiliated with it on the activity’s day', async () => {
    const board = await h.organisation('Länsstyrelsen i Kalmar län', 'county_board', { county: 'Kalmar län' })
    const officer = await h.contact('Karin', 'Handläggarsson', {
      affiliations: [{ organisation_id: board.id, start_date: '2025-01-01', end_date: '2026-04-30' }],
    })
    const plan = await h.plan({ name: 'Länsstyrelsen i Kalmar', target: { organisation_ids: [board.id] } })
    // The affiliation's last day counts: both ends are inclusive.
    const activity = await insertActivity(t.db, { start_date: '2026-04-30', participants: [{ contact_id: officer.id }] })
    const p = await h.progress(plan.id)
    expect(p.reached).toEqual([{ type: 'organisation', id: board.id, label: 'Länsstyrelsen i Kalmar län', via_activity_ids: [activity] }])
  })

  it('does not reach an organisation through a person who had left it before the activity', async () => {
    const board = await h.organisation('Länsstyrelsen i Blekinge län', 'county_board')
    const former = await h.contact('Före', 'Detta', { affiliations: [{ organisation_id: board.id, start_date: '2020-01-01', end_date: '2026-02-28' }] })
    const plan = await h.plan({ name: 'Blekinge', target: { organisation_ids: [board.id] } })
    await insertActivity(t.db, { start_date: '2026-03-01', participants: [{ contact_id: former.id }] })
    const p = await h.progress(plan.id)
    expect(p.reached_count).toBe(0)
    expect(ids(p.not_reached)).toEqual([board.id])
  })

  it('does not reach an organisation through a person who joined it after the activity', async () => {
    const org = await h.organisation('Växjö kommun', 'municipality')
    const newcomer = await h.contact('Ny', 'Anställd', { affiliations: [{ organisation_id: org.id, start_date: '2026-05-01' }] })
    const plan = await h.plan({ name: 'Växjö', target: { organisation_ids: [org.id] } })
    await insertActivity(t.db, { start_date: '2026-04-30', participants: [{ contact_id: newcomer.id }] })
    expect((await h.progress(plan.id)).reached_count).toBe(0)
  })

  it('reaches an organisation that took part itself', async () => {
    const org = await h.organisation('Migrationsverket', 'authority')
    const plan = await h.plan({ name: 'Myndigheten själv', target: { organisation_ids: [org.id] } })
    const activity = await insertActivity(t.db, { participants: [{ organisation_id: org.id, attendance: 'received', role: 'recipient' }] })
    expect((await h.progress(plan.id)).reached).toEqual([{ type: 'organisation', id: org.id, label: 'Migrationsverket', via_activity_ids: [activity] }])
  })

  it('counts only activities sharing a theme or a product with the plan', async () => {
    const health = await h.theme('Hälsokommunikation')
    const work = await h.theme('Arbetsmarknad')
    const method = await insertProduct(t.db, 'Hälsokommunikatörsmetoden')
    const byTheme = await h.contact('Tema', 'Delarsson')
    const byProduct = await h.contact('Produkt', 'Delarsson')
    const other = await h.contact('Annat', 'Temasson')
    const plan = await h.plan({
      name: 'Metoden ut', theme_ids: [health.id], product_ids: [method], target: { contact_ids: [byTheme.id, byProduct.id, other.id] },
    })
    const viaTheme = await insertActivity(t.db, { theme_ids: [health.id, work.id], participants: [{ contact_id: byTheme.id }] })
    const viaProduct = await insertActivity(t.db, { product_ids: [method], participants: [{ contact_id: byProduct.id }] })
    await insertActivity(t.db, { theme_ids: [work.id], participants: [{ contact_id: other.id }] })
    await insertActivity(t.db, { participants: [{ contact_id: other.id }] })
    const p = await h.progress(plan.id)
    expect(p.reached.map((r) => [r.id, r.via_activity_ids]).sort()).toEqual([[byTheme.id, [viaTheme]], [byProduct.id, [viaProduct]]].sort())
    expect(ids(p.not_reached)).toEqual([other.id])
  })

  it('counts any activity when the plan names neither a theme nor a product', async () => {
    const theme = await h.theme('Vilket tema som helst')
    const person = await h.contact('Alla', 'Räknas')
    const plan = await h.plan({ name: 'Allt räknas', target: { contact_ids: [person.id] } })
    await insertActivity(t.db, { theme_ids: [theme.id], participants: [{ contact_id: person.id }] })
    expect((await h.progress(plan.id)).reached_count).toBe(1)
  })

  it('lists every activity that reached a target, oldest first', async () => {
    const person = await h.contact('Flera', 'Gångersson')
    const plan = await h.plan({ name: 'Flera gånger', target: { contact_ids: [person.id] } })
    const later = await insertActivity(t.db, { start_date: '2026-05-02', participants: [{ contact_id: person.id }] })
    const earlier = await insertActivity(t.db, { start_date: '2026-01-15', participants: [{ contact_id: person.id }] })
    expect((await h.progress(plan.id)).reached[0]!.via_activity_ids).toEqual([earlier, later])
  })

  it('leaves out deleted activities, and deleted people and organisations from the target', async () => {
    const kept = await h.contact('Kvar', 'Personsson')
    const gone = await h.contact('Borta', 'Personsson')
    const goneOrg = await h.organisation('Nedlagd förening', 'ngo')
    const plan = await h.plan({ name: 'Borttaget', target: { contact_ids: [kept.id, gone.id], organisation_ids: [goneOrg.id] } })
    await insertActivity(t.db, { deleted: true, participants: [{ contact_id: kept.id }] })
    expect((await h.api('DELETE', `/api/v1/contacts/${gone.id}`)).status).toBe(204)
    expect((await h.api('DELETE', `/api/v1/organisations/${goneOrg.id}`)).status).toBe(204)
    const p = await h.progress(plan.id)
    expect(p.target_count).toBe(1)
    expect(p.reached_count).toBe(0)
    expect(ids(p.not_reached)).toEqual([kept.id])
  })

  it('does not reach an organisation through a deleted person', async () => {
    const org = await h.organisation('Röda Korset i Gävle', 'ngo')
    const person = await h.contact('Raderad', 'Medlemsson', { affiliations: [{ organisation_id: org.id }] })
    const plan = await h.plan({ name: 'Via borttagen', target: { organisation_ids: [org.id] } })
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    expect((await h.progress(plan.id)).reached_count).toBe(1)
    expect((await h.api('DELETE', `/api/v1/contacts/${person.id}`)).status).toBe(204)
    expect((await h.progress(plan.id)).reached_count).toBe(0)
  })

  it('answers 404 for the progress of a deleted or unknown plan', async () => {
    const plan = await h.plan({ name: 'Snart borta' })
    expect((await h.api('DELETE', `/api/v1/plans/${plan.id}`)).status).toBe(204)
    expect((await h.api('GET', `/api/v1/plans/${plan.id}/progress`)).status).toBe(404)
    expect((await h.api('GET', '/api/v1/plans/00000000-0000-4000-8000-000000000000/progress')).status).toBe(404)
  })
})

describe('a plan turning achieved', () => {
  it('turns an active plan achieved when its progress shows everyone reached, audited as done by the system', async () => {
    const person = await h.contact('Sist', 'Nåddsson')
    const plan = await h.plan({ name: 'Nästan klar', status: 'active', target: { contact_ids: [person.id] } })
    await h.progress(plan.id)
    expect((await h.get(`/api/v1/plans/${plan.id}`)).status).toBe('active')
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    await h.progress(plan.id)
    const after = await h.get(`/api/v1/plans/${plan.id}`)
    expect(after.status).toBe('achieved')
    expect(after.version).toBe(plan.version + 1)
    const admin = await t.apiToken('admin')
    const audit = await (await t.request(`/api/v1/audit?entity_type=plan&entity_id=${plan.id}`, { headers: admin.headers })).json()
    const change = audit.data.find((e: { action: string }) => e.action === 'update')
    expect(change).toMatchObject({ user_id: null, changes: { status: ['active', 'achieved'] } })
  })

  it('leaves a draft, a closed plan and a plan with an empty target as they are', async () => {
    const person = await h.contact('Redan', 'Nåddsson')
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const draft = await h.plan({ name: 'Utkastet', target: { contact_ids: [person.id] } })
    const closed = await h.plan({ name: 'Stängd', status: 'closed', target: { contact_ids: [person.id] } })
    const empty = await h.plan({ name: 'Tom', status: 'active' })
    for (const p of [draft, closed, empty]) await h.progress(p.id)
    expect((await h.get(`/api/v1/plans/${draft.id}`)).status).toBe('draft')
    expect((await h.get(`/api/v1/plans/${closed.id}`)).status).toBe('closed')
    expect((await h.get(`/api/v1/plans/${empty.id}`)).status).toBe('active')
  })
})
