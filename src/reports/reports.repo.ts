import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../db/write.ts'
import { currentOrgCountyCte } from '../plans/plan-targets.ts'

/** A period, both days inclusive (YYYY-MM-DD). */
export interface Period {
  from: string
  to: string
}

export interface Count {
  key: string | null
  n: number
}

const counted = (rows: { key: string | null; n: number | string }[]): Count[] => rows.map((r) => ({ key: r.key, n: Number(r.n) }))

/** Activities per month and type: every live activity that was not cancelled, by its start date. */
export async function activitiesPerMonth(db: Executor, p: Period, opts: { doneOnly?: boolean } = {}): Promise<{ month: string; type: string; n: number }[]> {
  const status = opts.doneOnly ? sql`status = 'done'` : sql`status <> 'cancelled'`
  const { rows } = await sql<{ month: string; type: string; n: number | string }>`
    select to_char(start_date, 'YYYY-MM') as month, type, count(*) as n
    from activities
    where deleted_at is null and ${status} and start_date between ${p.from}::date and ${p.to}::date
    group by 1, 2`.execute(db)
  return rows.map((r) => ({ month: r.month, type: r.type, n: Number(r.n) }))
}

/** Done activities in the period by type and level (level null: not given). */
export async function activitiesByTypeAndLevel(db: Executor, p: Period): Promise<{ type: string; level: string | null; n: number }[]> {
  const { rows } = await sql<{ type: string; level: string | null; n: number | string }>`
    select type, level, count(*) as n from activities
    where deleted_at is null and status = 'done' and start_date between ${p.from}::date and ${p.to}::date
    group by 1, 2`.execute(db)
  return rows.map((r) => ({ type: r.type, level: r.level, n: Number(r.n) }))
}

/**
 * Who took part with attendance "attended" or "received" in a live done activity dated in the
 * period — the reach. People must be live; an organisation is reached itself or through a live
 * person affiliated with it on the activity's date.
 */
function reachCtes(p: Period): RawBuilder<unknown> {
  return sql`took_part as materialized (
    select ap.contact_id, ap.organisation_id, a.start_date from activity_participants ap
    join activities a on a.id = ap.activity_id and a.deleted_at is null and a.status = 'done'
      and a.start_date between ${p.from}::date and ${p.to}::date
    where ap.attendance in ('attended', 'received')
  ), reached_contacts as materialized (
    select distinct c.id from took_part tp join contacts c on c.id = tp.contact_id and c.deleted_at is null
  ), reached_orgs as materialized (
    select o.id from took_part tp join organisations o on o.id = tp.organisation_id and o.deleted_at is null
    union
    select o.id from took_part tp
    join contacts c on c.id = tp.contact_id and c.deleted_at is null
    join affiliations af on af.contact_id = c.id
      and (af.start_date is null or af.start_date <= tp.start_date) and (af.end_date is null or af.end_date >= tp.start_date)
    join organisations o on o.id = af.organisation_id and o.deleted_at is null
  )`
}

export interface Reach {
  contacts: number
  organisations: number
  /** People by category ('none' without one); a person in two categories counts in both. */
  byCategory: Count[]
  /** People by county (their own, else their organisation's; null: none known). */
  byCounty: Count[]
  organisationsByKind: Count[]
  organisationsByCounty: Count[]
}

type Counts = { key: string | null; n: number | string }[]

/**
 * The reach in one statement: who took part is worked out once and counted every way from there
 * (it was five statements, each finding the same participations again). `organisations: false`
 * leaves the organisations out (the dashboard shows only people): their counts are then empty.
 */
export async function reach(db: Executor, p: Period, today: string, opts: { organisations?: boolean } = {}): Promise<Reach> {
  const orgs = opts.organisations ?? true
  const day = sql`${today}::date`
  const grouped = (q: RawBuilder<unknown>) => sql`(select coalesce(json_agg(json_build_object('key', x.key, 'n', x.n)), '[]'::json) from (${q}) x)`
  const orgCounts = orgs
    ? sql`(select count(*) from reached_orgs) as organisations,
      ${grouped(sql`select o.kind as key, count(*) as n from reached_orgs r join organisations o on o.id = r.id group by 1`)} as by_kind,
      ${grouped(sql`select o.county as key, count(*) as n from reached_orgs r join organisations o on o.id = r.id group by 1`)} as org_county`
    : sql`0 as organisations, '[]'::json as by_kind, '[]'::json as org_county`
  const { rows } = await sql<{ contacts: number | string; organisations: number | string; by_category: Counts; by_county: Counts; by_kind: Counts; org_county: Counts }>`
    with ${reachCtes(p)}, ${currentOrgCountyCte(day)}
    select (select count(*) from reached_contacts) as contacts,
      ${grouped(sql`select g.key, count(*) as n from reached_contacts r join contacts c on c.id = r.id
        cross join lateral unnest(case when cardinality(c.categories) = 0 then array['none']::text[] else c.categories end) as g(key)
        group by g.key`)} as by_category,
      ${grouped(sql`select coalesce(c.county, coc.county) as key, count(*) as n from reached_contacts r join contacts c on c.id = r.id
        left join current_org_county coc on coc.contact_id = c.id group by 1`)} as by_county,
      ${orgCounts}`.execute(db)
  const t = rows[0]!
  return {
    contacts: Number(t.contacts),
    organisations: Number(t.organisations),
    byCategory: counted(t.by_category),
    byCounty: counted(t.by_county),
    organisationsByKind: counted(t.by_kind),
    organisationsByCounty: counted(t.org_county),
  }
}

export async function alliancesByStatus(db: Executor): Promise<Count[]> {
  const rows = await db.selectFrom('alliances').select(['status as key', (eb) => eb.fn.countAll().as('n')]).where('deleted_at', 'is', null).groupBy('status').execute()
  return rows.map((r) => ({ key: r.key, n: Number(r.n) }))
}

export interface AllianceEvent {
  id: string
  name: string
  status: string
  date: string
}

/** Alliances whose start date is in the period. */
export async function alliancesFormed(db: Executor, p: Period): Promise<AllianceEvent[]> {
  const { rows } = await sql<AllianceEvent>`
    select id, name, status, to_char(start_date, 'YYYY-MM-DD') as date from alliances
    where deleted_at is null and start_date between ${p.from}::date and ${p.to}::date
    order by start_date, sort_name, id`.execute(db)
  return rows
}

/** Alliances that ended in the period: by their end date, or by a move to "ended" then (Swedish time). */
export async function alliancesEnded(db: Executor, p: Period): Promise<AllianceEvent[]> {
  const { rows } = await sql<AllianceEvent>`
    select a.id, a.name, a.status, to_char(min(e.day), 'YYYY-MM-DD') as date
    from alliances a
    join (
      select id as alliance_id, end_date as day from alliances where end_date between ${p.from}::date and ${p.to}::date
      union all
      select alliance_id, (at at time zone 'Europe/Stockholm')::date from alliance_status_changes
      where to_status = 'ended' and (at at time zone 'Europe/Stockholm')::date between ${p.from}::date and ${p.to}::date
    ) e on e.alliance_id = a.id
    where a.deleted_at is null
    group by a.id, a.name, a.status, a.sort_name
    order by min(e.day), a.sort_name, a.id`.execute(db)
  return rows
}

export interface InfluenceResult {
  id: string
  title: string
  type: string
  date: string
  result: string
  request: string | null
  evidence: string | null
  recipient: string | null
}

/** Vertical activities whose influence result is dated in the period (or, without a result date, the activity). */
export async function influenceResults(db: Executor, p: Period): Promise<InfluenceResult[]> {
  const { rows } = await sql<InfluenceResult>`
    select a.id, a.title, a.type, to_char(coalesce(a.influence_result_date, a.start_date), 'YYYY-MM-DD') as date,
      a.influence_result as result, a.influence_request as request, a.influence_evidence as evidence,
      coalesce(o.name, b.name) as recipient
    from activities a
    left join organisations o on o.id = a.influence_organisation_id
    left join bodies b on b.id = a.influence_body_id
    where a.deleted_at is null and a.level = 'vertical' and a.influence_result is not null
      and coalesce(a.influence_result_date, a.start_date) between ${p.from}::date and ${p.to}::date
    order by 4, a.sort_name, a.id`.execute(db)
  return rows
}
