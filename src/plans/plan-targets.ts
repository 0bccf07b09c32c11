import { contactVisibleTo } from '../privacy/visibility.ts'
import { sql, type RawBuilder } from 'kysely'
import type { PlanTarget } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { segmentCtes } from '../segments/segment-members.ts'

/**
 * How a plan's target becomes a set of organisations and people — in SQL, for many plans at
 * once, straight from the stored `target` jsonb:
 *
 * - `organisation_ids` and `contact_ids` name records explicitly. One merged away since stands
 *   for the record it was merged into; deleted records are left out.
 * - The filter's fields each hold "any of" values; fields are combined with AND.
 *   `kinds` is about organisations; `categories` and `affiliated_kinds` are about people;
 *   `counties` and `theme_ids` are shared and narrow whichever side is targeted.
 * - The filter targets organisations when it names `kinds`, or when it names only shared fields.
 *   It targets people when it names `categories` or `affiliated_kinds`, or only shared fields.
 *   So {kinds:[county_board]} is the 21 county boards; {categories:[official],
 *   affiliated_kinds:[county_board]} is the officials working at a county board today (and not
 *   the boards); {kinds, categories} targets both sides; {counties:[X]} everyone in county X.
 * - `title` (people only): text in the person's title or in the role of a current affiliation,
 *   whatever the case — "integrationshandläggare" with affiliated_kinds:[county_board] is the
 *   integration officers of the county boards. `tags` is shared, like counties and themes.
 * - `affiliated_kinds` (our addition to the contract): a person currently affiliated (today
 *   within the affiliation's period, both ends inclusive, open ends open) with a live
 *   organisation of one of these kinds.
 * - A person is in a county by their own `county`; without one, by the county of any organisation
 *   they are currently affiliated with (a person working in two counties is in both). Where one
 *   county is needed (coverage, charts) it is the primary affiliation's — `contactCounty`,
 *   `currentOrgCountyCte`.
 * - An empty filter adds nothing; the target is the explicit records plus the filter's.
 * - `segment_id` names a saved segment: its members (src/segments/segment-members.ts, resolved
 *   now) are targets too, beside the explicit records and the filter's.
 */

/** The person's county: their own, else their current (primary first) organisation's. */
export function contactCounty(contact: 'c' | 'tc', today: RawBuilder<unknown>): RawBuilder<string | null> {
  const c = sql.table(contact)
  return sql<string | null>`coalesce(${c}.county, (
    select ao.county from affiliations af
    join organisations ao on ao.id = af.organisation_id and ao.deleted_at is null
    where af.contact_id = ${c}.id and ao.county is not null
      and (af.start_date is null or af.start_date <= ${today}) and (af.end_date is null or af.end_date >= ${today})
    order by af.is_primary desc, ao.sort_name, ao.id limit 1))`
}

/**
 * `current_org_county`: for each person with a current affiliation to an organisation with a
 * county, that county (primary affiliation first) — `contactCounty` done once, set-based, for
 * queries over many people. A `with` entry; join it and use coalesce(c.county, coc.county).
 */
export function currentOrgCountyCte(today: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`current_org_county as (
    select distinct on (af.contact_id) af.contact_id, ao.county
    from affiliations af
    join organisations ao on ao.id = af.organisation_id and ao.deleted_at is null
    where ao.county is not null
      and (af.start_date is null or af.start_date <= ${today}) and (af.end_date is null or af.end_date >= ${today})
    order by af.contact_id, af.is_primary desc, ao.sort_name, ao.id
  )`
}

/**
 * `filter.title`: the person's title, or the role of an affiliation valid today, holds any of
 * `titles` (case-insensitive substring; `c` names the contacts row).
 */
function titleMatch(titles: RawBuilder<unknown>, day: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`exists (select 1 from unnest(${titles}) as wanted(t) where strpos(lower(coalesce(c.title, '')), lower(wanted.t)) > 0
    or exists (select 1 from affiliations taf where taf.contact_id = c.id and strpos(lower(coalesce(taf.role, '')), lower(wanted.t)) > 0
      and (taf.start_date is null or taf.start_date <= ${day}) and (taf.end_date is null or taf.end_date >= ${day})))`
}

const list = (path: string, type: 'uuid' | 'text') =>
  sql.raw(`array(select jsonb_array_elements_text(coalesce(pl.target #> '{${path}}', '[]'::jsonb)))::${type}[]`)

/**
 * `spec`: one row per plan with its target unpacked into arrays and which sides the filter
 * targets; `targets`: (plan_id, type, id) for every organisation and person targeted.
 * Used as the first two entries of a `with` list.
 */
export function targetCtes(planIds: readonly string[] | { target: PlanTarget }, today: string, opts: { byTarget?: boolean } = {}): RawBuilder<unknown> {
  const day = sql`${today}::date`
  // A target not saved yet (the form's live count) stands in for a plan of its own. `byTarget`:
  // plans with the same stored target are one target group, resolved once: the group's lowest
  // plan id stands for it in `spec` and `targets` (`targetGroups` maps each plan to it).
  const plans = !Array.isArray(planIds)
    ? sql`(select '00000000-0000-0000-0000-000000000000'::uuid as id, null::date as deadline, '{}'::uuid[] as theme_ids,
        '{}'::uuid[] as product_ids, '{}'::text[] as qualifying_attendance, ${JSON.stringify((planIds as { target: PlanTarget }).target)}::jsonb as target) pl`
    : opts.byTarget
      ? sql`(select distinct on (p.target) p.* from plans p where p.id = any(${sql.val([...planIds])}::uuid[]) order by p.target, p.id) pl`
      : sql`plans pl where pl.id = any(${sql.val([...planIds])}::uuid[])`
  return sql`spec as (
    select pl.id as plan_id, pl.deadline, pl.theme_ids, pl.product_ids, pl.qualifying_attendance,
      ${list('organisation_ids', 'uuid')} as org_ids,
      ${list('contact_ids', 'uuid')} as contact_ids,
      ${list('filter,kinds', 'text')} as kinds,
      ${list('filter,categories', 'text')} as categories,
      ${list('filter,counties', 'text')} as counties,
      ${list('filter,theme_ids', 'uuid')} as filter_themes,
      ${list('filter,affiliated_kinds', 'text')} as affiliated_kinds,
      -- filter.title may be stored as one string (the contract's shape) or a list.
      case jsonb_typeof(pl.target #> '{filter,title}') when 'string' then array[pl.target #>> '{filter,title}']
        else ${list('filter,title', 'text')} end as titles,
      ${list('filter,tags', 'text')} as tags
    from ${plans}
  ), sides as (
    select s.*,
      (cardinality(s.kinds) > 0 or (cardinality(s.categories) = 0 and cardinality(s.affiliated_kinds) = 0 and cardinality(s.titles) = 0
        and (cardinality(s.counties) > 0 or cardinality(s.filter_themes) > 0 or cardinality(s.tags) > 0))) as org_side,
      (cardinality(s.categories) > 0 or cardinality(s.affiliated_kinds) > 0 or cardinality(s.titles) > 0 or (cardinality(s.kinds) = 0
        and (cardinality(s.counties) > 0 or cardinality(s.filter_themes) > 0 or cardinality(s.tags) > 0))) as contact_side
    from spec s
  ), plan_segment as (
    select x.plan_id, (x.target ->> 'segment_id')::uuid as segment_id
    from (select pl.id as plan_id, pl.target from ${plans}) x where x.target ->> 'segment_id' is not null
  ), ${segmentCtes({ idsQuery: sql`select segment_id from plan_segment` }, today)}, org_candidates as (
    -- Each filtered side starts from its most selective indexed field, then checks the rest:
    -- a plan's cost follows its target group, not the size of the register times the plans.
    select s.plan_id, o.id from sides s join organisations o on o.kind = any(s.kinds) and o.deleted_at is null
    where s.org_side and cardinality(s.kinds) > 0
    union all
    select s.plan_id, o.id from sides s join organisations o on o.county = any(s.counties) and o.deleted_at is null
    where s.org_side and cardinality(s.kinds) = 0 and cardinality(s.counties) > 0
    union all
    select s.plan_id, o.id from sides s join organisations o on o.theme_ids && s.filter_themes and o.deleted_at is null
    where s.org_side and cardinality(s.kinds) = 0 and cardinality(s.counties) = 0 and cardinality(s.filter_themes) > 0
    union all
    select s.plan_id, o.id from sides s join organisations o on o.tags && s.tags and o.deleted_at is null
    where s.org_side and cardinality(s.kinds) = 0 and cardinality(s.counties) = 0 and cardinality(s.filter_themes) = 0 and cardinality(s.tags) > 0
  ), contact_candidates as (
    select s.plan_id, c.id from sides s join contacts c on c.county = any(s.counties) and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) > 0
    union
    select s.plan_id, c.id from sides s
    join organisations ao on ao.county = any(s.counties) and ao.deleted_at is null
    join affiliations af on af.organisation_id = ao.id
      and (af.start_date is null or af.start_date <= ${day}) and (af.end_date is null or af.end_date >= ${day})
    join contacts c on c.id = af.contact_id and c.county is null and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) > 0
    union
    select s.plan_id, c.id from sides s join contacts c on c.categories && s.categories and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) = 0 and cardinality(s.categories) > 0
    union
    select s.plan_id, af.contact_id from sides s
    join organisations ao on ao.kind = any(s.affiliated_kinds) and ao.deleted_at is null
    join affiliations af on af.organisation_id = ao.id
      and (af.start_date is null or af.start_date <= ${day}) and (af.end_date is null or af.end_date >= ${day})
    where s.contact_side and cardinality(s.counties) = 0 and cardinality(s.categories) = 0 and cardinality(s.affiliated_kinds) > 0
    union
    select s.plan_id, c.id from sides s join contacts c on c.theme_ids && s.filter_themes and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) = 0 and cardinality(s.categories) = 0 and cardinality(s.affiliated_kinds) = 0
      and cardinality(s.filter_themes) > 0
    union
    select s.plan_id, c.id from sides s join contacts c on ${titleMatch(sql`s.titles`, day)} and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) = 0 and cardinality(s.categories) = 0 and cardinality(s.affiliated_kinds) = 0
      and cardinality(s.filter_themes) = 0 and cardinality(s.titles) > 0
    union
    select s.plan_id, c.id from sides s join contacts c on c.tags && s.tags and c.deleted_at is null
    where s.contact_side and cardinality(s.counties) = 0 and cardinality(s.categories) = 0 and cardinality(s.affiliated_kinds) = 0
      and cardinality(s.filter_themes) = 0 and cardinality(s.titles) = 0 and cardinality(s.tags) > 0
  ), targets as (
    select ps.plan_id, 'contact'::text as type, m.contact_id as id
    from plan_segment ps join seg_members m on m.segment_id = ps.segment_id
    union
    select s.plan_id, 'organisation'::text, o.id
    from sides s cross join lateral unnest(s.org_ids) as x(id)
    join organisations named on named.id = x.id
    join organisations o on o.id = coalesce(named.merged_into_id, named.id) and o.deleted_at is null
    union
    select s.plan_id, 'organisation'::text, o.id
    from org_candidates oc join sides s on s.plan_id = oc.plan_id join organisations o on o.id = oc.id
    where (cardinality(s.kinds) = 0 or o.kind = any(s.kinds))
      and (cardinality(s.counties) = 0 or o.county = any(s.counties))
      and (cardinality(s.filter_themes) = 0 or o.theme_ids && s.filter_themes)
      and (cardinality(s.tags) = 0 or o.tags && s.tags)
    union
    select s.plan_id, 'contact'::text, c.id
    from sides s cross join lateral unnest(s.contact_ids) as x(id)
    join contacts named on named.id = x.id
    join contacts c on c.id = coalesce(named.merged_into_id, named.id) and c.deleted_at is null
      and ${contactVisibleTo('export', 'c')}
    union
    select s.plan_id, 'contact'::text, c.id
    from contact_candidates cc join sides s on s.plan_id = cc.plan_id join contacts c on c.id = cc.id and c.deleted_at is null
    -- A target group is a mailing and invitation list: no protected identities, no restricted processing.
    where ${contactVisibleTo('export', 'c')}
      and (cardinality(s.categories) = 0 or c.categories && s.categories)
      and (cardinality(s.filter_themes) = 0 or c.theme_ids && s.filter_themes)
      and (cardinality(s.tags) = 0 or c.tags && s.tags)
      and (cardinality(s.titles) = 0 or ${titleMatch(sql`s.titles`, day)})
      and (cardinality(s.affiliated_kinds) = 0 or exists (
        select 1 from affiliations af
        join organisations ao on ao.id = af.organisation_id and ao.deleted_at is null
        where af.contact_id = c.id and ao.kind = any(s.affiliated_kinds)
          and (af.start_date is null or af.start_date <= ${day}) and (af.end_date is null or af.end_date >= ${day})))
  )`
}

/** How many organisations and people a target (saved or not) stands for today. */
export async function targetSize(db: Executor, target: PlanTarget, today: string): Promise<{ organisations: number; contacts: number }> {
  const { rows } = await sql<{ type: string; n: number | string }>`with ${targetCtes({ target }, today)}
    select type, count(*) as n from targets group by type`.execute(db)
  const n = (type: string) => Number(rows.find((r) => r.type === type)?.n ?? 0)
  return { organisations: n('organisation'), contacts: n('contact') }
}
