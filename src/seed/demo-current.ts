import { sql } from 'kysely'
import { createActivity } from '../activities/activities.service.ts'
import { createActivity as activitySchema } from '../activities/activities.schema.ts'
import { createAlliance } from '../alliances/alliances.service.ts'
import { createAlliance as allianceSchema } from '../alliances/alliances.schema.ts'
import { createBody } from '../bodies/bodies.service.ts'
import { createBody as bodySchema } from '../bodies/bodies.schema.ts'
import { inTransaction, type Actor, type Executor } from '../db/write.ts'
import { letOthersIn } from '../db/turns.ts'
import { createPlan } from '../plans/plans.service.ts'
import { createPlan as planSchema } from '../plans/plans.schema.ts'
import { addDays } from '../interactions/follow-ups.ts'
import { seedNewsletters } from './demo-newsletters.ts'
import { formatDate } from '../web/format.ts'
import type { Translate } from '../web/i18n.ts'

/**
 * The demo's current period (issue 14): the historical network ends years ago, so a newcomer's
 * dashboard, alliance board, plans and coverage were empty. This adds the last 24 months up to
 * the day it is loaded — the steering and reference groups as bodies with seats, alliances in
 * every status with commitments (some overdue), 60+ activities done and planned with
 * participants, three plans at different progress and a newsletter with six sent issues — among the demo's own organisations and
 * fictional people. Dates are relative to `today`, so a demo loaded next year is current then.
 * Idempotent like the rest of the seed: each record is found again by its name (activities by
 * title) and not made twice, also when loaded again on a later day.
 */
export interface CurrentResult {
  bodies: number
  alliances: number
  activities: number
  plans: number
  /** Newsletter issues (sent ones and the draft). */
  newsletters: number
}

interface Org { id: string; name: string; kind: string }
interface Person { id: string; organisation_id: string; kind: string; sort_key: string }

const day = (today: string, n: number) => addDays(today, n)

export async function seedCurrentPeriod(db: Executor, actor: Actor, t: Translate, today = formatDate(new Date()), progress: (step: string) => void = () => {}): Promise<CurrentResult> {
  const orgs = await db.selectFrom('organisations').select(['id', 'name', 'kind']).where('deleted_at', 'is', null).where('merged_into_id', 'is', null).orderBy('sort_name').execute() as Org[]
  // People working somewhere today, none of them protected or restricted (a demo is shown on screens).
  const { rows: people } = await sql<Person>`
    select distinct on (c.id) c.id, af.organisation_id, o.kind,
      coalesce(c.last_name, '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.email, '') as sort_key
    from contacts c join affiliations af on af.contact_id = c.id and af.end_date is null
    join organisations o on o.id = af.organisation_id and o.deleted_at is null
    where c.deleted_at is null and not c.restricted and not c.protected_identity and c.erased_at is null
    order by c.id, af.is_primary desc`.execute(db)
  // By name, not id: ids are random, so sorting by them picked other people (and other plan
  // progress) in every new database.
  people.sort((a, b) => a.sort_key.localeCompare(b.sort_key) || a.id.localeCompare(b.id))
  const themes = await db.selectFrom('themes').select('id').where('deleted_at', 'is', null).orderBy('sort_name').execute()
  if (orgs.length < 10 || people.length < 40) return { bodies: 0, alliances: 0, activities: 0, plans: 0, newsletters: 0 }
  const byKind = (kind: string) => orgs.filter((o) => o.kind === kind)
  const peopleAt = (orgId: string) => people.filter((p) => p.organisation_id === orgId)
  const someoneAt = (orgId: string) => peopleAt(orgId)[0]?.id ?? null
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!
  const boards = byKind('county_board')
  const authorities = byKind('authority')
  const municipalities = byKind('municipality')
  const ngos = byKind('ngo')
  const staffed = (list: Org[]) => list.filter((o) => someoneAt(o.id))
  const result: CurrentResult = { bodies: 0, alliances: 0, activities: 0, plans: 0, newsletters: 0 }
  const start = day(today, -730)

  // Bodies: the steering group and the reference group, seats from two years ago.
  progress('bodies')
  const bodyNames = new Set((await db.selectFrom('bodies').select('name').execute()).map((b) => b.name))
  const bodies = [
    { name: 'Styrgrupp för temagruppen asyl & integration', kind: 'steering_group' as const, from: staffed([...authorities, ...boards]).slice(0, 7), roles: ['chair', 'vice_chair', 'member', 'member', 'member', 'member', 'secretary'] as const },
    { name: 'Referensgrupp för temagruppen asyl & integration', kind: 'reference_group' as const, from: staffed([...boards.slice(3), ...municipalities, ...ngos]).slice(0, 12), roles: ['chair', 'member'] as const },
  ]
  for (const b of bodies) {
    if (bodyNames.has(b.name)) continue
    const seats = b.from.map((o, i) => ({ contact_id: someoneAt(o.id)!, organisation_id: o.id, role: b.roles[Math.min(i, b.roles.length - 1)], start_date: start }))
    await letOthersIn()
    await inTransaction(db, (tx) => createBody(tx, bodySchema.parse({ name: b.name, kind: b.kind, description: 'Demo: tillsatt för innevarande period.', seats }), actor))
    result.bodies++
  }

  // Alliances in every status, with commitments; some of the open ones are overdue.
  progress('alliances')
  const allianceNames = new Set((await db.selectFrom('alliances').select('name').execute()).map((a) => a.name))
  const partners = staffed([...boards, ...authorities, ...municipalities, ...ngos])
  const alliances = [
    ['Hälsokommunikatörer i hela landet', 'active'], ['Samhällsorientering på modersmål', 'active'], ['Tidig kartläggning av kompetens', 'proposed'],
    ['Boende för nyanlända i glesbygd', 'exploring'], ['Språkvän i kommunerna', 'dormant'], ['Gemensam statistik om etablering', 'ended'],
    ['Mentorskap för nyanlända kvinnor', 'active'],
  ] as const
  for (const [i, [name, status]] of alliances.entries()) {
    if (allianceNames.has(name)) continue
    const members = [0, 1, 2].map((k) => pick(partners, i * 3 + k * 5))
      .filter((o, k, all) => all.findIndex((x) => x.id === o.id) === k)
      .map((o, k) => ({ organisation_id: o.id, role: k === 0 ? 'lead' : k === 1 ? 'partner' : 'supporter', contact_id: someoneAt(o.id), start_date: day(today, -600 + i * 30) }))
    const commitments = [
      { organisation_id: members[0]!.organisation_id, description: 'Ta fram en gemensam projektplan', due_date: day(today, -200 + i * 20), status: i % 3 === 0 ? 'open' : 'done' },
      { organisation_id: members[members.length - 1]!.organisation_id, description: 'Utbilda tio medarbetare i metoden', due_date: day(today, -30 + i * 25), status: 'open' },
    ]
    const input = allianceSchema.parse({
      name, status, purpose: 'Demo: en allians i innevarande period.', start_date: day(today, -600 + i * 30),
      end_date: status === 'ended' ? day(today, -60) : null, review_date: day(today, -10 + i * 20),
      next_step: status === 'active' ? 'Boka nästa avstämning' : null, members, commitments, links: [], theme_ids: themes.length ? [pick(themes, i).id] : [],
    })
    await letOthersIn()
    await inTransaction(db, (tx) => createAlliance(tx, input, actor))
    result.alliances++
  }

  // 64 activities every eleven days or so, from two years ago to two months ahead.
  progress('activities')
  // By title alone: a demo loaded again another day finds the same activities (their dates moved with the day).
  const existing = new Set((await db.selectFrom('activities').select('title').execute()).map((a) => a.title))
  const kinds = [
    ['Seminarium om hälsokommunikation', 'seminar'], ['Workshop om samhällsorientering', 'workshop'], ['Nätverksträff för länsstyrelserna', 'meeting'],
    ['Konferens om etablering', 'conference'], ['Utbildning i kartläggning', 'course'], ['Studiebesök hos en kommun', 'study_visit'],
    ['Remissvar om mottagande', 'policy_input'], ['Webbinarium om språkstöd', 'seminar'],
  ] as const
  const audience = people.filter((p) => ['county_board', 'municipality', 'authority', 'ngo', 'region'].includes(p.kind))
  for (let i = 0; i < 64; i++) {
    const [base, type] = pick(kinds, i)
    const date = day(today, -720 + i * 12)
    const title = `${base} ${i + 1}`
    if (existing.has(title)) continue
    const done = date < today
    const size = 8 + ((i * 7) % 18)
    const participants = Array.from({ length: size }, (_, k) => pick(audience, i * 13 + k * 3))
      .filter((p, k, all) => all.findIndex((x) => x.id === p.id) === k)
      .map((p, k) => ({ contact_id: p.id, organisation_id: null, role: k === 0 ? 'organiser' : 'participant', attendance: done ? (k % 9 === 8 ? 'no_show' : 'attended') : (k % 2 ? 'registered' : 'invited') }))
    const input = activitySchema.parse({
      title, type, status: done ? (i % 17 === 5 ? 'cancelled' : 'done') : 'planned', start_date: date, location: pick(['Stockholm', 'Göteborg', 'Malmö', 'Umeå', 'Jönköping', 'Digitalt'], i),
      online: i % 6 === 5, level: type === 'policy_input' ? 'vertical' : 'horizontal', theme_ids: themes.length ? [pick(themes, i).id] : [], participants,
    })
    await letOthersIn()
    await inTransaction(db, (tx) => createActivity(tx, input, actor))
    result.activities++
    if (i % 8 === 7) progress(`activities ${i + 1}/64`)
  }

  // Three plans: the county boards (well on the way), a handful of authorities (nearly there), a draft.
  progress('plans')
  const planNames = new Set((await db.selectFrom('plans').select('name').execute()).map((p) => p.name))
  const plans = [
    { name: 'Metoden till alla länsstyrelser', goal: 'Alla 21 länsstyrelser har deltagit i en aktivitet om metoden.', status: 'active', deadline: day(today, 180), target: { filter: { kinds: ['county_board'] } } },
    { name: 'Myndigheternas kontaktpersoner', goal: 'Kontaktpersonerna på de nationella myndigheterna är nådda.', status: 'active', deadline: day(today, 60), target: { contact_ids: staffed(authorities).slice(0, 12).map((o) => someoneAt(o.id)!) } },
    { name: 'Kommunernas mottagningsenheter', goal: 'Utkast: vilka kommuner ska nås nästa år?', status: 'draft', deadline: day(today, 400), target: { filter: { affiliated_kinds: ['municipality'] } } },
  ]
  for (const p of plans) {
    if (planNames.has(p.name)) continue
    await letOthersIn()
    await inTransaction(db, (tx) => createPlan(tx, planSchema.parse(p), actor))
    result.plans++
  }

  // The newsletter: every fifth of the people as subscribers, six issues sent over the period, a draft.
  progress('newsletters')
  result.newsletters = await seedNewsletters(db, actor, t, today, people.filter((_, k) => k % 5 === 2).map((p) => p.id), themes.map((th) => th.id))
  return result
}
