import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/seed/demo-seed.ts'
import { seedCurrentPeriod } from '../../src/seed/demo-current.ts'
import { formatDate } from '../../src/web/format.ts'
import { translator } from '../../src/web/i18n.ts'
import { addDays } from '../../src/interactions/follow-ups.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from '../plans/helpers.ts'

// Issue 14: the demo ended in 2008, so a newcomer's dashboard, alliances, plans and coverage were empty.
let t: TestApp
let adminId: string
const today = formatDate(new Date())
beforeAll(async () => {
  t = await testApp()
  adminId = (await t.user('admin')).id
  await seedDemo(t.db, { actor: { userId: adminId }, assigneeId: adminId })
}, 300_000)
afterAll(() => t.close())

describe("the demo's current period", () => {
  it('has the steering and reference groups as bodies with seats held today', async () => {
    const bodies = await t.db.selectFrom('bodies').select(['id', 'name', 'kind']).execute()
    expect(bodies.map((b) => b.kind).sort()).toEqual(['reference_group', 'steering_group'])
    const seats = await t.db.selectFrom('body_seats').select(['body_id', 'role']).execute()
    expect(seats.length).toBeGreaterThanOrEqual(12)
    expect(seats.some((s) => s.role === 'chair')).toBe(true)
  })

  it('has 5–8 alliances in every status, with commitments of which some are overdue', async () => {
    const alliances = await t.db.selectFrom('alliances').select(['id', 'status']).execute()
    expect(alliances.length).toBeGreaterThanOrEqual(5)
    expect(alliances.length).toBeLessThanOrEqual(8)
    expect(new Set(alliances.map((a) => a.status))).toEqual(new Set(['exploring', 'proposed', 'active', 'dormant', 'ended']))
    const commitments = await t.db.selectFrom('commitments').select(['due_date', 'status']).execute()
    expect(commitments.filter((k) => k.status === 'open' && k.due_date! < today).length).toBeGreaterThan(0)
    expect(commitments.some((k) => k.status === 'done')).toBe(true)
  })

  it('has 60+ activities over the last 24 months, done and planned, with participants', async () => {
    const activities = await t.db.selectFrom('activities').select(['id', 'status', 'start_date']).execute()
    expect(activities.length).toBeGreaterThanOrEqual(60)
    expect(activities.every((a) => a.start_date! >= addDays(today, -731))).toBe(true)
    expect(activities.filter((a) => a.status === 'done').length).toBeGreaterThan(30)
    expect(activities.filter((a) => a.status === 'planned' && a.start_date! >= today).length).toBeGreaterThan(3)
    const participants = await t.db.selectFrom('activity_participants').select('activity_id').execute()
    expect(new Set(participants.map((p) => p.activity_id)).size).toBe(activities.length)
  })

  it('has three plans at different progress', async () => {
    const h = apiOf(t, await t.apiToken('admin'))
    const plans = await t.db.selectFrom('plans').select(['id', 'status']).execute()
    expect(plans).toHaveLength(3)
    const shares = await Promise.all(plans.map(async (p) => { const r = await h.progress(p.id); return r.target_count ? r.reached_count / r.target_count : -1 }))
    expect(new Set(shares.map((s) => s.toFixed(2))).size).toBe(3)
    expect(shares.some((s) => s > 0 && s < 1)).toBe(true)
  })

  it('has a newsletter list with subscribers, six issues sent over the period (without mail) and a draft', async () => {
    const lists = await t.db.selectFrom('newsletter_lists').select('id').execute()
    expect(lists).toHaveLength(1)
    const subscribed = await t.db.selectFrom('newsletter_subscriptions').select('contact_id').where('status', '=', 'subscribed').execute()
    expect(subscribed.length).toBeGreaterThan(20)
    const consents = await t.db.selectFrom('consents').select('id').where('purpose', '=', `newsletter:${lists[0]!.id}`).execute()
    expect(consents).toHaveLength(subscribed.length)
    const issues = await t.db.selectFrom('newsletter_issues').select(['id', 'status', 'sent_at', 'activity_id']).execute()
    expect(issues.filter((i) => i.status === 'draft')).toHaveLength(1)
    const sent = issues.filter((i) => i.status === 'sent')
    expect(sent).toHaveLength(6)
    expect(sent.every((i) => formatDate(i.sent_at!) >= addDays(today, -731) && formatDate(i.sent_at!) < today)).toBe(true)
    // The same records a real send leaves: a done newsletter activity, its recipients received it, every copy sent.
    const activities = await t.db.selectFrom('activities').select(['id', 'type', 'status']).where('id', 'in', sent.map((i) => i.activity_id!)).execute()
    expect(activities.every((a) => a.type === 'newsletter' && a.status === 'done')).toBe(true)
    const received = await t.db.selectFrom('activity_participants').select('id').where('activity_id', 'in', sent.map((i) => i.activity_id!)).where('attendance', '=', 'received').execute()
    expect(received).toHaveLength(6 * subscribed.length)
    const deliveries = await t.db.selectFrom('newsletter_deliveries').select('status').execute()
    expect(deliveries.every((d) => d.status === 'sent')).toBe(true)
    // Nothing was queued to be mailed.
    expect(await t.db.selectFrom('newsletter_deliveries').select('id').where('sent_at', 'is', null).execute()).toHaveLength(0)
    // The public archive lists them.
    const archive = await t.app.request('/newsletter')
    const html = await archive.text()
    expect(html).toContain('Nyhetsbrev 6: halvvägs i perioden')
    expect(html).not.toContain('Nyhetsbrev 7')
  })

  it('is loaded once: a second run creates nothing', async () => {
    expect(await seedCurrentPeriod(t.db, { userId: adminId }, translator('sv'))).toEqual({ bodies: 0, alliances: 0, activities: 0, plans: 0, newsletters: 0 })
  })
})
