import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findAlliance } from '../../src/alliances/alliances.repo.ts'
import { addDays, commitmentState, reviewDue } from '../../src/alliances/commitments.ts'
import { allianceHealth, healthInput, type HealthInput } from '../../src/alliances/health.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

const TODAY = '2026-06-15'
const k = (status: 'open' | 'done' | 'dropped', due_date: string | null = null) => ({ status, due_date })

describe('commitments due and overdue', () => {
  it('calls an open commitment overdue from the day after its due date, due soon in the two weeks up to it', () => {
    expect(commitmentState(k('open', '2026-06-14'), TODAY)).toBe('overdue')
    expect(commitmentState(k('open', '2026-06-15'), TODAY)).toBe('due_soon')
    expect(commitmentState(k('open', '2026-06-29'), TODAY)).toBe('due_soon')
    expect(commitmentState(k('open', '2026-06-30'), TODAY)).toBe('open')
    expect(commitmentState(k('open'), TODAY)).toBe('open')
  })

  it('never calls a done or dropped commitment overdue, whatever its date', () => {
    expect(commitmentState(k('done', '2020-01-01'), TODAY)).toBe('done')
    expect(commitmentState(k('dropped', '2020-01-01'), TODAY)).toBe('dropped')
  })

  it('counts days across month and year ends', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
  })

  it('asks for a review from the review date on', () => {
    expect(reviewDue('2026-06-15', TODAY)).toBe(true)
    expect(reviewDue('2026-06-14', TODAY)).toBe(true)
    expect(reviewDue('2026-06-16', TODAY)).toBe(false)
    expect(reviewDue(null, TODAY)).toBe(false)
  })
})

describe('alliance health', () => {
  const base: HealthInput = {
    today: TODAY,
    // 3 done, 1 dropped, 1 overdue → 3 kept of 5 judged = 60; the one not yet due is not judged.
    commitments: [k('done', '2026-01-01'), k('done'), k('done', '2026-07-01'), k('dropped', '2026-03-01'), k('open', '2026-06-01'), k('open', '2026-08-01')],
    memberCount: 3,
    // 75 days before 2026-06-15 → 100 × (180 − 75) ÷ 150 = 70.
    lastInteractionOn: '2026-04-01',
  }

  it('weighs commitments kept and contact with the members, leaving out the activities not yet recorded', () => {
    const h = allianceHealth(base)
    const byKey = Object.fromEntries(h.components.map((c) => [c.key, c]))
    expect(byKey.commitments).toMatchObject({ counted: true, score: 60, weight: 50, detail: { done: 3, dropped: 1, overdue: 1, judged: 5 } })
    expect(byKey.contact).toMatchObject({ counted: true, score: 70, weight: 30, detail: { last_on: '2026-04-01', days: 75 } })
    expect(byKey.activities).toMatchObject({ counted: false, score: null, points: null, weight: 20 })
    // (60 × 50 + 70 × 30) ÷ (50 + 30) = 5100 ÷ 80 = 63.75
    expect(h.countedWeight).toBe(80)
    expect(byKey.commitments!.points).toBe(37.5)
    expect(byKey.contact!.points).toBe(26.3)
    expect(h).toMatchObject({ score: 64, level: 'fair' })
  })

  it('counts joint activities once they are given, against a target of two a year', () => {
    const h = allianceHealth({ ...base, jointActivities: 1 })
    // (60 × 50 + 50 × 20 + 70 × 30) ÷ 100 = 61
    expect(h.components.find((c) => c.key === 'activities')).toMatchObject({ counted: true, score: 50, points: 10 })
    expect(h).toMatchObject({ score: 61, level: 'fair', countedWeight: 100 })
    expect(allianceHealth({ ...base, jointActivities: 5 }).components.find((c) => c.key === 'activities')!.score).toBe(100)
    expect(allianceHealth({ ...base, jointActivities: 0 }).components.find((c) => c.key === 'activities')!.score).toBe(0)
  })

  it('scores contact 100 up to 30 days, 0 from 180 days or with no interaction at all', () => {
    const contact = (lastInteractionOn: string | null) => allianceHealth({ ...base, lastInteractionOn }).components.find((c) => c.key === 'contact')!.score
    expect(contact('2026-05-16')).toBe(100) // 30 days
    expect(contact('2026-05-15')).toBe(99.3) // 31 days: 100 × 149 ÷ 150
    expect(contact('2025-12-17')).toBe(0) // 180 days
    expect(contact(null)).toBe(0)
  })

  it('judges only what there is evidence for, and says so when there is none', () => {
    const onlyContact = allianceHealth({ ...base, commitments: [k('open', '2026-12-01')], lastInteractionOn: '2026-06-10' })
    expect(onlyContact.components.find((c) => c.key === 'commitments')).toMatchObject({ counted: false, score: null })
    expect(onlyContact).toMatchObject({ score: 100, level: 'good', countedWeight: 30 })
    const nothing = allianceHealth({ today: TODAY, commitments: [], memberCount: 0, lastInteractionOn: null })
    expect(nothing).toMatchObject({ score: null, level: 'unknown', countedWeight: 0 })
    const poor = allianceHealth({ ...base, commitments: [k('dropped'), k('open', '2026-01-01')], lastInteractionOn: null })
    expect(poor).toMatchObject({ score: 0, level: 'poor' })
  })
})

describe('alliance health: the inputs read from the database', () => {
  let t: TestApp
  let h: ReturnType<typeof apiOf>
  beforeAll(async () => {
    t = await testApp()
    h = apiOf(t, await t.apiToken('editor'))
  })
  afterAll(() => t.close())

  it('takes the latest interaction with a member organisation or a member’s contact person, not others, not deleted, not future', async () => {
    const [member, outsider] = [await h.organisation('Migrationsverket'), await h.organisation('Skatteverket')]
    const person = await h.contact('Per', 'Påhittad')
    const a = await h.alliance({ name: 'Hälsoalliansen', members: [{ organisation_id: member.id, role: 'lead', contact_id: person.id }] })
    const log = (occurred_on: string, links: Record<string, string[]>) =>
      h.create('/api/v1/interactions', { kind: 'meeting', occurred_on, summary: 'Möte', ...links })
    await log('2026-03-01', { organisation_ids: [member.id] })
    await log('2026-04-20', { contact_ids: [person.id] })
    await log('2026-05-30', { organisation_ids: [outsider.id] })
    await log('2026-07-01', { organisation_ids: [member.id] })
    const gone = await log('2026-05-01', { organisation_ids: [member.id] })
    await h.api('DELETE', `/api/v1/interactions/${gone.id}`)
    const record = (await findAlliance(t.db, a.id))!
    const input = await healthInput(t.db, record, TODAY)
    expect(input).toMatchObject({ today: TODAY, memberCount: 1, lastInteractionOn: '2026-04-20', jointActivities: 0 })
    expect(allianceHealth(input).components.find((c) => c.key === 'contact')!.detail.days).toBe(56)
  })

  it('counts recent done activities in which a member organisation or a member’s contact person took part', async () => {
    const [member, outsider] = [await h.organisation('Integrationsverket'), await h.organisation('Arbetsförmedlingen')]
    const person = await h.contact('Pia', 'Påhittad')
    const a = await h.alliance({ name: 'Valideringsalliansen', members: [{ organisation_id: member.id, role: 'lead', contact_id: person.id }] })
    const activity = (start_date: string, status: string, participants: Record<string, string>[]) =>
      h.create('/api/v1/activities', { title: 'Seminarium om validering', type: 'seminar', status, start_date, participants })
    await activity('2026-05-10', 'done', [{ organisation_id: member.id, attendance: 'attended' }])
    await activity('2026-06-01', 'done', [{ contact_id: person.id, attendance: 'attended' }])
    await activity('2026-06-02', 'planned', [{ organisation_id: member.id }])
    await activity('2026-06-03', 'done', [{ organisation_id: outsider.id, attendance: 'attended' }])
    await activity('2024-01-01', 'done', [{ organisation_id: member.id, attendance: 'attended' }])
    const record = (await findAlliance(t.db, a.id))!
    expect((await healthInput(t.db, record, TODAY)).jointActivities).toBe(2)
  })
})
