import { sql, type RawBuilder } from 'kysely'
import { COUNTED, NAMED, versioned } from '../db/data-version.ts'
import type { Executor } from '../db/write.ts'
import { currentOrgCountyCte, targetCtes } from './plan-targets.ts'

/**
 * Progress per the contract: a target is reached when it — or, for an organisation, a person
 * affiliated with it on the activity's date (the affiliation's period, both ends inclusive) —
 * took part with one of the plan's qualifying attendances in a live `done` activity dated
 * (start_date) on or before the deadline, if the plan has one, that shares a theme or a product
 * with the plan (any activity, when the plan names neither). An undated activity cannot be shown
 * to be before a deadline, so it counts only for plans without one, and then through the
 * affiliations valid today. Everything in SQL, for all the plan's targets at once.
 */
/** Which activities count for the plan `s`; `a` is the activity. */
function counts(until?: string): RawBuilder<unknown> {
  const cap = until ? sql`and a.start_date <= ${until}::date` : sql``
  return sql`a.deleted_at is null and a.status = 'done'
      and (s.deadline is null or a.start_date <= s.deadline) ${cap}
      and ((cardinality(s.theme_ids) = 0 and cardinality(s.product_ids) = 0)
        or a.theme_ids && s.theme_ids or a.product_ids && s.product_ids)`
}

/**
 * `qualifying`: (plan_id, group_id, activity_id, start_date, attendances) for every activity that
 * counts for each plan of `plans` (a relation with the plan's columns, `plan_id` and the
 * `group_id` its targets are keyed by in `targets`).
 *
 * `target_parts`: every participation of every target, once per target group — the person
 * themself, an organisation itself, or a person affiliated with the organisation (with the
 * affiliation's period, to check against the activity's date).
 *
 * `hits`: (plan_id, type, id, activity_id, start_date), the participations that count. Joined on
 * (group, activity) by hash: one probe into `activities` per participation was most of the cost
 * of the dashboard (100 000 of them). Both sides are materialized so that the planner cannot
 * join the targets to the qualifying activities by plan alone, which is their cross product.
 */
function hitsCtes(plans: RawBuilder<unknown>, today: string, until?: string): RawBuilder<unknown> {
  const day = sql`${today}::date`
  return sql`qualifying as materialized (
    select s.plan_id, s.group_id, a.id as activity_id, a.start_date, s.qualifying_attendance
    from ${plans} s join activities a on ${counts(until)}
  ), target_parts as materialized (
    select t.plan_id as group_id, t.type, t.id, p.activity_id, p.attendance, null::date as af_start, null::date as af_end
    from targets t join activity_participants p on p.contact_id = t.id
    where t.type = 'contact'
    union all
    select t.plan_id, t.type, t.id, p.activity_id, p.attendance, null, null
    from targets t join activity_participants p on p.organisation_id = t.id
    where t.type = 'organisation'
    union all
    select t.plan_id, t.type, t.id, p.activity_id, p.attendance, af.start_date, af.end_date
    from targets t join affiliations af on af.organisation_id = t.id
    join contacts pc on pc.id = af.contact_id and pc.deleted_at is null
    join activity_participants p on p.contact_id = af.contact_id
    where t.type = 'organisation'
  ), hits as (
    select distinct q.plan_id, tp.type, tp.id, q.activity_id, q.start_date
    from target_parts tp join qualifying q on q.group_id = tp.group_id and q.activity_id = tp.activity_id
    where tp.attendance = any(q.qualifying_attendance)
      and (tp.af_start is null or tp.af_start <= coalesce(q.start_date, ${day}))
      and (tp.af_end is null or tp.af_end >= coalesce(q.start_date, ${day}))
  )`
}

function progressCtes(planIds: readonly string[], today: string, until?: string): RawBuilder<unknown> {
  const plans = sql`(select spec.*, spec.plan_id as group_id from spec)`
  return sql`${targetCtes(planIds, today)}, ${hitsCtes(plans, today, until)}, per_target as (
    select t.plan_id, t.type, t.id,
      array_remove(array_agg(h.activity_id order by h.start_date nulls last, h.activity_id), null) as via
    from targets t left join hits h on h.plan_id = t.plan_id and h.type = t.type and h.id = t.id
    group by t.plan_id, t.type, t.id
  )`
}

export interface TargetProgress {
  type: 'organisation' | 'contact'
  id: string
  label: string
  via_activity_ids: string[]
  /** For the coverage matrix: the person's categories or the organisation's kind, and the county. */
  groups: string[]
  county: string | null
}

export interface PlanProgress {
  target_count: number
  reached_count: number
  reached: { type: string; id: string; label: string; via_activity_ids: string[] }[]
  not_reached: { type: string; id: string; label: string }[]
  targets: TargetProgress[]
}

interface Row {
  type: 'organisation' | 'contact'
  id: string
  label: string | null
  via: string[] | null
  groups: string[] | null
  county: string | null
}

/**
 * Every target of one plan with the activities that reached it, organisations first, by Swedish
 * name. `withCoverage` adds each target's groups and county (the plan page's coverage matrix).
 */
export async function planProgress(db: Executor, planId: string, today: string, opts: { withCoverage?: boolean } = {}): Promise<PlanProgress> {
  // Cached per version of what it reads (src/db/data-version.ts NAMED: names, not e-mail or phone): the same for every reader.
  return versioned(db, `plan-progress ${planId} ${today} ${opts.withCoverage ? 'coverage' : ''}`, (tx) => computePlanProgress(tx, planId, today, opts), NAMED)
}

async function computePlanProgress(db: Executor, planId: string, today: string, opts: { withCoverage?: boolean }): Promise<PlanProgress> {
  const coverage = opts.withCoverage
    ? sql`case when pt.type = 'organisation' then array[o.kind] else tc.categories end as groups,
      case when pt.type = 'organisation' then o.county else coalesce(tc.county, coc.county) end as county`
    : sql`null::text[] as groups, null::text as county`
  const countyJoin = opts.withCoverage ? sql`left join current_org_county coc on coc.contact_id = tc.id` : sql``
  const countyCte = opts.withCoverage ? sql`, ${currentOrgCountyCte(sql`${today}::date`)}` : sql``
  const { rows } = await sql<Row>`with ${progressCtes([planId], today)}${countyCte}
    select pt.type, pt.id, pt.via,
      coalesce(o.name, nullif(trim(coalesce(tc.first_name, '') || ' ' || coalesce(tc.last_name, '')), '')) as label,
      ${coverage}
    from per_target pt
    left join organisations o on pt.type = 'organisation' and o.id = pt.id
    left join contacts tc on pt.type = 'contact' and tc.id = pt.id
    ${countyJoin}
    order by pt.type desc, coalesce(o.sort_name, tc.sort_name), pt.id`.execute(db)
  const targets: TargetProgress[] = rows.map((r) => ({
    type: r.type,
    id: r.id,
    label: r.label ?? '',
    via_activity_ids: r.via ?? [],
    groups: r.groups ?? [],
    county: r.county,
  }))
  const reached = targets.filter((t) => t.via_activity_ids.length > 0)
  return {
    target_count: targets.length,
    reached_count: reached.length,
    reached: reached.map((t) => ({ type: t.type, id: t.id, label: t.label, via_activity_ids: t.via_activity_ids })),
    not_reached: targets.filter((t) => t.via_activity_ids.length === 0).map((t) => ({ type: t.type, id: t.id, label: t.label })),
    targets,
  }
}

export interface ProgressCount {
  target_count: number
  reached_count: number
}

/**
 * Target and reached counts of many plans in one query (the plan list, the dashboard, the
 * report). `until`: only activities dated on or before that day count (progress as it stood).
 */
export async function progressCounts(db: Executor, planIds: readonly string[], today: string, until?: string): Promise<Map<string, ProgressCount>> {
  if (planIds.length === 0) return new Map()
  // Counts only, which no name or e-mail address changes: counted again only after a write that can change them.
  return versioned(db, `progress-counts ${planIds.join(',')} ${today} ${until ?? ''}`, (tx) => computeProgressCounts(tx, planIds, today, until), COUNTED)
}

async function computeProgressCounts(db: Executor, planIds: readonly string[], today: string, until?: string): Promise<Map<string, ProgressCount>> {
  const out = new Map<string, ProgressCount>(planIds.map((id) => [id, { target_count: 0, reached_count: 0 }]))
  if (planIds.length === 0) return out
  // Plans with the same target share one resolved target group (`targetCtes` byTarget); each
  // plan keeps its own qualifying activities (deadline, themes, products, attendances).
  const { rows } = await sql<{ plan_id: string; target_count: number | string; reached_count: number | string }>`with ${targetCtes(planIds, today, { byTarget: true })},
    plan_groups as (
      select pl.id as plan_id, first_value(pl.id) over (partition by pl.target order by pl.id) as group_id,
        pl.deadline, pl.theme_ids, pl.product_ids, pl.qualifying_attendance
      from plans pl where pl.id = any(${sql.val([...planIds])}::uuid[])
    ), ${hitsCtes(sql`plan_groups`, today, until)},
    group_sizes as (select t.plan_id as group_id, count(*) as n from targets t group by t.plan_id),
    reached as (select r.plan_id, count(*) as n from (select distinct h.plan_id, h.type, h.id from hits h) r group by r.plan_id)
    select g.plan_id, coalesce(gs.n, 0) as target_count, coalesce(r.n, 0) as reached_count
    from plan_groups g left join group_sizes gs on gs.group_id = g.group_id left join reached r on r.plan_id = g.plan_id`.execute(db)
  for (const r of rows) out.set(r.plan_id, { target_count: Number(r.target_count), reached_count: Number(r.reached_count) })
  return out
}

/** The share reached, 0–100, rounded down so that 99.6 % never shows as done. */
export function percentReached(p: ProgressCount): number {
  return p.target_count === 0 ? 0 : Math.floor((100 * p.reached_count) / p.target_count)
}
