import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { insertActivity } from '../plans/helpers.ts'

/**
 * The report's numbers against the raw rows: a generated register and activity log (the same
 * on every run), the expected figures worked out here from those rows independently of the SQL.
 */
let t: TestApp
let cookie: string

const FROM = '2026-02-01'
const TO = '2026-05-31'
const TYPES = ['seminar', 'conference', 'report', 'policy_input', 'meeting'] as const
const LEVELS = ['horizontal', 'vertical', null] as const
const STATUSES = ['done', 'done', 'done', 'planned', 'cancelled'] as const
const ATTENDANCE = ['invited', 'registered', 'attended', 'received', 'no_show'] as const
const CATEGORIES = ['practitioner', 'decision_maker', 'official', 'researcher'] as const
const COUNTIES = ['Jönköpings län', 'Kalmar län', 'Skåne län', null] as const
const DAYS = ['2026-01-20', '2026-02-01', '2026-02-14', '2026-03-15', '2026-04-02', '2026-05-31', '2026-06-01', '2026-07-10']

// A small deterministic generator (mulberry32), so the data set is the same every run.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
const rnd = random(20260522)
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!

interface Org { id: string; kind: string; county: string | null }
interface Person { id: string; categories: string[]; county: string | null; deleted: boolean; affiliations: { org: Org; start: string | null; end: string | null }[] }
interface Act { id: string; type: string; level: string | null; status: string; date: string; deleted: boolean; participants: { contact?: Person; org?: Org; attendance: string }[] }

const orgs: Org[] = []
const people: Person[] = []
const acts: Act[] = []

beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('viewer')).cookie
  const kinds = ['county_board', 'municipality', 'ngo', 'authority']
  for (let i = 0; i < 8; i++) {
    const kind = kinds[i % kinds.length]!
    const county = i % 4 === 3 ? null : COUNTIES[i % 3]!
    const row = await t.db.insertInto('organisations').values({ name: `Organisation ${i}`, sort_name: `organisation ${i}`, kind, county } as never).returning('id').executeTakeFirstOrThrow()
    orgs.push({ id: row.id, kind, county })
  }
  for (let i = 0; i < 40; i++) {
    const categories = CATEGORIES.filter(() => rnd() < 0.35)
    // Either an own county, or exactly one open affiliation that gives the county; plus maybe a past one.
    const own = rnd() < 0.5 ? pick(COUNTIES.filter(Boolean)) : null
    const affiliations: Person['affiliations'] = []
    if (!own && rnd() < 0.8) affiliations.push({ org: pick(orgs), start: pick([null, '2025-06-01', '2026-03-01']), end: null })
    if (rnd() < 0.5) affiliations.push({ org: pick(orgs), start: '2024-01-01', end: pick(['2026-02-28', '2026-04-01']) })
    const deleted = i === 39
    const row = await t.db
      .insertInto('contacts')
      .values({ first_name: 'Person', last_name: `Nummer ${i}`, sort_name: `nummer ${i}`, categories, county: own, deleted_at: deleted ? new Date() : null } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    const person: Person = { id: row.id, categories, county: own, deleted, affiliations }
    for (const a of affiliations) {
      await t.db.insertInto('affiliations').values({ contact_id: row.id, organisation_id: a.org.id, start_date: a.start, end_date: a.end } as never).execute()
    }
    people.push(person)
  }
  for (let i = 0; i < 30; i++) {
    const participants: Act['participants'] = []
    for (const p of people) if (rnd() < 0.15) participants.push({ contact: p, attendance: pick(ATTENDANCE) })
    for (const o of orgs) if (rnd() < 0.08) participants.push({ org: o, attendance: pick(ATTENDANCE) })
    const a: Act = { id: '', type: pick(TYPES), level: pick(LEVELS), status: pick(STATUSES), date: pick(DAYS), deleted: i % 11 === 5, participants }
    a.id = await insertActivity(t.db, {
      type: a.type as never, level: a.level as never, status: a.status as never, start_date: a.date, deleted: a.deleted,
      participants: participants.map((p) => ({ contact_id: p.contact?.id, organisation_id: p.org?.id, attendance: p.attendance as never })),
    })
    acts.push(a)
  }
})
afterAll(() => t.close())

const inPeriod = (d: string) => d >= FROM && d <= TO
const counting = (a: Act) => !a.deleted && a.status === 'done' && inPeriod(a.date)
const qualifies = (attendance: string) => attendance === 'attended' || attendance === 'received'
const tally = (keys: (string | null)[]) => {
  const m = new Map<string, number>()
  for (const k of keys) m.set(k ?? 'none', (m.get(k ?? 'none') ?? 0) + 1)
  return m
}
/** A person's county: their own, else their current affiliation's organisation's (at the period's end). */
const countyOf = (p: Person) => p.county ?? p.affiliations.find((a) => (!a.start || a.start <= TO) && (!a.end || a.end >= TO) && a.org.county)?.org.county ?? null

function expected() {
  const done = acts.filter(counting)
  const byTypeLevel = tally(done.map((a) => `${a.type}/${a.level ?? 'none'}`))
  const reachedPeople = new Set<Person>()
  const reachedOrgs = new Set<Org>()
  for (const a of done) {
    for (const p of a.participants) {
      if (!qualifies(p.attendance)) continue
      if (p.org) reachedOrgs.add(p.org)
      if (p.contact && !p.contact.deleted) {
        reachedPeople.add(p.contact)
        for (const af of p.contact.affiliations) if ((!af.start || af.start <= a.date) && (!af.end || af.end >= a.date)) reachedOrgs.add(af.org)
      }
    }
  }
  const people = [...reachedPeople]
  return {
    byTypeLevel,
    contacts: people.length,
    organisations: reachedOrgs.size,
    byCategory: tally(people.flatMap((p) => (p.categories.length ? p.categories : [null]))),
    byCounty: tally(people.map(countyOf)),
    orgsByKind: tally([...reachedOrgs].map((o) => o.kind)),
    orgsByCounty: tally([...reachedOrgs].map((o) => o.county)),
  }
}

async function csvRows(): Promise<Record<string, string>[]> {
  const res = await t.request(`/reports/period?from=${FROM}&to=${TO}&format=csv`, { headers: { cookie } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-disposition')).toContain(`delrapport-${FROM}-${TO}.csv`)
  return parse(await res.text(), { columns: true, bom: true })
}

const section = (rows: Record<string, string>[], name: string) =>
  new Map(rows.filter((r) => r.section === name).map((r) => [r.key, Number(r.count)]))

describe('the period report, cross-checked against the raw rows', () => {
  it('has data worth checking: reached people, organisations and activities of several kinds', () => {
    const e = expected()
    expect(e.contacts).toBeGreaterThan(5)
    expect(e.organisations).toBeGreaterThan(2)
    expect(e.byTypeLevel.size).toBeGreaterThan(3)
  })

  it('counts done activities in the period by type and level', async () => {
    const rows = await csvRows()
    const got = section(rows, 'activities')
    const total = got.get('total')
    got.delete('total')
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected().byTypeLevel))
    expect(total).toBe([...expected().byTypeLevel.values()].reduce((a, b) => a + b, 0))
  })

  it('counts each reached person and organisation once, and by category, county and kind', async () => {
    const rows = await csvRows()
    const e = expected()
    expect(section(rows, 'reach')).toEqual(new Map([['contacts', e.contacts], ['organisations', e.organisations]]))
    const keyed = (name: string) => Object.fromEntries(section(rows, name))
    expect(keyed('reach_by_category')).toEqual(Object.fromEntries(e.byCategory))
    expect(keyed('reach_by_county')).toEqual(Object.fromEntries(e.byCounty))
    expect(keyed('reach_organisations_by_kind')).toEqual(Object.fromEntries(e.orgsByKind))
    expect(keyed('reach_organisations_by_county')).toEqual(Object.fromEntries(e.orgsByCounty))
  })

  it('shows the same totals on the printable page', async () => {
    const html = await (await t.request(`/reports/period?from=${FROM}&to=${TO}`, { headers: { cookie } })).text()
    const e = expected()
    expect(html).toContain(`<h1>Delrapport ${FROM} – ${TO}</h1>`)
    expect(html).toContain(`<strong id="sum-contacts">${e.contacts}</strong>`)
    expect(html).toContain(`<strong id="sum-organisations">${e.organisations}</strong>`)
    expect(html).toContain(`<strong id="sum-activities">${[...e.byTypeLevel.values()].reduce((a, b) => a + b, 0)}</strong>`)
  })

  it('refuses a period that ends before it starts', async () => {
    const res = await t.request(`/reports/period?from=${TO}&to=${FROM}`, { headers: { cookie } })
    expect(res.status).toBe(400)
  })
})

describe('the period report: plans, alliances and influence', () => {
  it('lists alliances formed and ended in the period, by end date or by a move to ended', async () => {
    const add = async (name: string, status: string, start: string | null, end: string | null) =>
      (await t.db.insertInto('alliances').values({ name, sort_name: name.toLowerCase(), status, start_date: start, end_date: end } as never).returning('id').executeTakeFirstOrThrow()).id
    const formed = await add('Bildad i perioden', 'active', '2026-03-01', null)
    await add('Bildad före', 'active', '2026-01-31', null)
    const endedByDate = await add('Slutade enligt datum', 'ended', '2025-01-01', '2026-05-31')
    const endedByMove = await add('Flyttad till avslutad', 'ended', '2025-01-01', null)
    await t.db.insertInto('alliance_status_changes').values({ alliance_id: endedByMove, from_status: 'active', to_status: 'ended', at: '2026-04-10T10:00:00+02:00' } as never).execute()
    const movedLater = await add('Avslutad efter', 'ended', '2025-01-01', null)
    await t.db.insertInto('alliance_status_changes').values({ alliance_id: movedLater, from_status: 'active', to_status: 'ended', at: '2026-06-01T10:00:00+02:00' } as never).execute()
    const rows = await csvRows()
    expect(rows.filter((r) => r.section === 'alliances_formed').map((r) => [r.key, r.date])).toEqual([[formed, '2026-03-01']])
    expect(rows.filter((r) => r.section === 'alliances_ended').map((r) => [r.key, r.date])).toEqual([[endedByMove, '2026-04-10'], [endedByDate, '2026-05-31']])
  })

  it('lists the influence results of vertical activities dated in the period', async () => {
    const body = await t.db.insertInto('organisations').values({ name: 'Arbetsmarknadsdepartementet', sort_name: 'arbetsmarknadsdepartementet', kind: 'ministry' } as never).returning('id').executeTakeFirstOrThrow()
    const adopted = await insertActivity(t.db, { title: 'Remissvar om etableringen', type: 'policy_input', level: 'vertical', start_date: '2026-01-10', influence_result: 'adopted', influence_result_date: '2026-04-20' })
    await t.db.updateTable('activities').set({ influence_organisation_id: body.id } as never).where('id', '=', adopted).execute()
    await insertActivity(t.db, { title: 'Utfall efter perioden', type: 'policy_input', level: 'vertical', influence_result: 'partly', influence_result_date: '2026-06-20' })
    await insertActivity(t.db, { title: 'Horisontell', level: 'horizontal', influence_result: 'adopted', influence_result_date: '2026-04-20' })
    const rows = await csvRows()
    expect(rows.filter((r) => r.section === 'influence').map((r) => [r.label, r.date, r.status, r.note])).toEqual([
      ['Remissvar om etableringen', '2026-04-20', 'adopted', 'Arbetsmarknadsdepartementet'],
    ])
  })

  it('gives each plan’s progress as it stood at the end of the period', async () => {
    const a = people.find((p) => !p.deleted)!
    const fresh = await t.db.insertInto('contacts').values({ first_name: 'Ny', last_name: 'Nådd', sort_name: 'nadd' } as never).returning('id').executeTakeFirstOrThrow()
    const plan = await t.db
      .insertInto('plans')
      .values({ name: 'Periodplan', sort_name: 'periodplan', status: 'active', target: JSON.stringify({ contact_ids: [fresh.id, a.id] }) } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    await insertActivity(t.db, { start_date: '2026-05-30', participants: [{ contact_id: fresh.id }] })
    await insertActivity(t.db, { start_date: '2026-06-02', participants: [{ contact_id: a.id }] })
    const rows = await csvRows()
    const row = rows.find((r) => r.section === 'plans' && r.key === plan.id)!
    // `a` may have been reached in the generated activities already: count what held by the period's end.
    const aReached = acts.some((x) => !x.deleted && x.status === 'done' && x.date <= TO && x.participants.some((p) => p.contact === a && qualifies(p.attendance)))
    expect([Number(row.count), Number(row.total)]).toEqual([1 + (aReached ? 1 : 0), 2])
  })
})
