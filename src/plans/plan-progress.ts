import { sql, type RawBuilder } from 'kysely'
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

function progressCtes(planIds: readonly string[], today: string, until?: string): RawBuilder<unknown> {
  const day = sql`${today}::date`
  // Driven from the targets (index lookups per person or organisation), not from every
  // participation: a plan's cost grows with its target group, not with the activity log.
  return sql`${targetCtes(planIds, today)}, hits as (
    select t.plan_id, t.type, t.id, a.id as activity_id, a.start_date
    from targets t join spec s on s.plan_id = t.plan_id
    join activity_participants p on p.contact_id = t.id and p.attendance = any(s.qualifying_attendance)
    join activities a on a.id = p.activity_id and ${counts(until)}
    where t.type = 'contact'
    union
    select t.plan_id, t.type, t.id, a.id, a.start_date
    from targets t join spec s on s.plan_id = t.plan_id
    join activity_participants p on p.organisation_id = t.id and p.attendance = any(s.qualifying_attendance)
    join activities a on a.id = p.activity_id and ${counts(until)}
    where t.type = 'organisation'
    union
    select t.plan_id, t.type, t.id, a.id, a.start_date
    from targets t join spec s on s.plan_id = t.plan_id
    join affiliations af on af.organisation_id = t.id
    join contacts pc on pc.id = af.contact_id and pc.deleted_at is null
    join activity_participants p on p.contact_id = af.contact_id and p.attendance = any(s.qualifying_attendance)
    join activities a on a.id = p.activity_id and ${counts(until)}
      and (af.start_date is null or af.start_date <= coalesce(a.start_date, ${day}))
      and (af.end_date is null or af.end_date >= coalesce(a.start_date, ${day}))
    where t.type = 'organisation'
  ), per_target as (
    select t.plan_id, t.type, t.id,
      array_remove(array_agg(h.activity_id order by h.start_date nulls last, h.activity_id), null) as via
    from targets t left join hits h on h.plan_id = t.plan_id and h.type = t.type and h.id = t.id
    group by t.plan_id, t.type, t.id
  )`
}

/**
 * Whether target `t` of plan `s` is reached — the same rule as `hits`, asked as a yes/no that
 * stops at the first qualifying participation instead of listing (and sorting) every one.
 */
function reachedCondition(today: string, until?: string): RawBuilder<unknown> {
  const day = sql`${today}::date`
  return sql`case when t.type = 'contact' then exists (
      select 1 from activity_participants p join activities a on a.id = p.activity_id and ${counts(until)}
      where p.contact_id = t.id and p.attendance = any(s.qualifying_attendance))
    else exists (
      select 1 from activity_participants p join activities a on a.id = p.activity_id and ${counts(until)}
      where p.organisation_id = t.id and p.attendance = any(s.qualifying_attendance))
    or exists (
      select 1 from affiliations af
      join contacts pc on pc.id = af.contact_id and pc.deleted_at is null
      join activity_participants p on p.contact_id = af.contact_id and p.attendance = any(s.qualifying_attendance)
      join activities a on a.id = p.activity_id and ${counts(until)}
        and (af.start_date is null or af.start_date <= coalesce(a.start_date, ${day}))
        and (af.end_date is null or af.end_date >= coalesce(a.start_date, ${day}))
      where af.organisation_id = t.id)
    end`
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
  const out = new Map<string, ProgressCount>(planIds.map((id) => [id, { target_count: 0, reached_count: 0 }]))
  if (planIds.length === 0) return out
  const { rows } = await sql<{ plan_id: string; target_count: number | string; reached_count: number | string }>`with ${targetCtes(planIds, today)}
    select t.plan_id, count(*) as target_count, count(*) filter (where ${reachedCondition(today, until)}) as reached_count
    from targets t join spec s on s.plan_id = t.plan_id group by t.plan_id`.execute(db)
  for (const r of rows) out.set(r.plan_id, { target_count: Number(r.target_count), reached_count: Number(r.reached_count) })
  return out
}

/** The share reached, 0–100, rounded down so that 99.6 % never shows as done. */
export function percentReached(p: ProgressCount): number {
  return p.target_count === 0 ? 0 : Math.floor((100 * p.reached_count) / p.target_count)
}
