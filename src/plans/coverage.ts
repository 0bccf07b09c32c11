import { sql } from 'kysely'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import type { Executor } from '../db/write.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { currentOrgCountyCte } from './plan-targets.ts'

/**
 * Coverage: target group (a person's categories, an organisation's kind) × county, counting
 * who is reached of all. A person in two categories is in two rows, but once in a column's and
 * the grand total. An empty cell — some in the group and county, no one reached — is a gap.
 */

export type Side = 'contact' | 'organisation'
/** A person without a category is in the row "none". */
export const NO_CATEGORY = 'none'

/** One aggregated count: `group`/`county` undefined means "all" (a total); county null is "no county". */
export interface CoverageCount {
  side: Side
  group: string | undefined
  county: string | null | undefined
  reached: number
  total: number
}

export interface CoverageItem {
  type: Side
  id: string
  groups: string[]
  county: string | null
  reached: boolean
}

/** The counts of a plan's targets (already in memory from its progress). */
export function aggregateItems(items: readonly CoverageItem[]): CoverageCount[] {
  const buckets = new Map<string, { side: Side; group: string | undefined; county: string | null | undefined; ids: Set<string>; reached: Set<string> }>()
  const add = (side: Side, group: string | undefined, county: string | null | undefined, item: CoverageItem) => {
    const key = JSON.stringify([side, group ?? '\u0000all', county === undefined ? '\u0000all' : county])
    let b = buckets.get(key)
    if (!b) buckets.set(key, (b = { side, group, county, ids: new Set(), reached: new Set() }))
    b.ids.add(item.id)
    if (item.reached) b.reached.add(item.id)
  }
  for (const item of items) {
    const groups = item.type === 'contact' && item.groups.length === 0 ? [NO_CATEGORY] : item.groups
    for (const g of groups) {
      add(item.type, g, item.county, item)
      add(item.type, g, undefined, item)
    }
    add(item.type, undefined, item.county, item)
    add(item.type, undefined, undefined, item)
  }
  return [...buckets.values()].map((b) => ({ side: b.side, group: b.group, county: b.county, total: b.ids.size, reached: b.reached.size }))
}

export interface CoverageCell {
  county: string | null
  reached: number
  total: number
  /** Some in the group and county, no one reached. */
  gap: boolean
}

export interface CoverageRow {
  group: string
  cells: CoverageCell[]
  total: CoverageCell
}

export interface CoverageMatrix {
  side: Side
  /** County names, and null for "no county" when anyone lacks one. */
  columns: (string | null)[]
  rows: CoverageRow[]
  columnTotals: CoverageCell[]
  total: CoverageCell
  gaps: number
}

const cell = (county: string | null, c: CoverageCount | undefined): CoverageCell => {
  const reached = c?.reached ?? 0
  const total = c?.total ?? 0
  return { county, reached, total, gap: total > 0 && reached === 0 }
}

/**
 * The matrix of one side, every county a column (and "no county" when needed). `allRows` keeps
 * groups with no one in them (the whole network's view: a missing group is a gap too); a plan's
 * matrix shows only the groups in its target.
 */
export function coverageMatrix(counts: readonly CoverageCount[], side: Side, opts: { allRows?: boolean } = {}): CoverageMatrix {
  const mine = counts.filter((c) => c.side === side)
  const find = (group: string | undefined, county: string | null | undefined) => mine.find((c) => c.group === group && c.county === county)
  const columns: (string | null)[] = [...COUNTIES]
  if (mine.some((c) => c.county === null && c.total > 0)) columns.push(null)
  const groups = side === 'contact' ? [...CATEGORIES, NO_CATEGORY] : [...KINDS]
  const rows = groups
    .map((group) => ({
      group,
      cells: columns.map((county) => cell(county, find(group, county))),
      total: cell(null, find(group, undefined)),
    }))
    .filter((r) => r.total.total > 0 || (opts.allRows && r.group !== NO_CATEGORY))
  const gaps = rows.reduce((n, r) => n + r.cells.filter((c) => c.gap).length, 0)
  return {
    side,
    columns,
    rows,
    columnTotals: columns.map((county) => cell(county, find(undefined, county))),
    total: cell(null, find(undefined, undefined)),
    gaps,
  }
}

/**
 * The whole network's counts, aggregated in SQL: every live person and organisation, reached
 * when they (or, for an organisation, a person affiliated with it that day) attended or received
 * a done activity, dated within [from, to] when given.
 */
export async function networkCoverage(db: Executor, today: string, period: { from?: string; to?: string } = {}): Promise<CoverageCount[]> {
  const day = sql`${today}::date`
  const from = period.from ? sql`and a.start_date >= ${period.from}::date` : sql``
  const to = period.to ? sql`and a.start_date <= ${period.to}::date` : sql``
  const { rows } = await sql<{ side: Side; grp: string | null; county: string | null; g: number; total: number | string; reached: number | string }>`
    with took_part as (
      select p.contact_id, p.organisation_id, a.start_date
      from activity_participants p
      join activities a on a.id = p.activity_id and a.deleted_at is null and a.status = 'done' ${from} ${to}
      where p.attendance in ('attended', 'received')
    ), reached_contacts as (
      select distinct contact_id as id from took_part where contact_id is not null
    ), reached_orgs as (
      select organisation_id as id from took_part where organisation_id is not null
      union
      select af.organisation_id from took_part tp
      join contacts pc on pc.id = tp.contact_id and pc.deleted_at is null
      join affiliations af on af.contact_id = tp.contact_id
        and (af.start_date is null or af.start_date <= coalesce(tp.start_date, ${day}))
        and (af.end_date is null or af.end_date >= coalesce(tp.start_date, ${day}))
    ), ${currentOrgCountyCte(day)}, items as (
      select 'contact'::text as side, c.id, g.grp, coalesce(c.county, coc.county) as county, (rc.id is not null) as reached
      from contacts c
      left join current_org_county coc on coc.contact_id = c.id
      cross join lateral unnest(case when cardinality(c.categories) = 0 then array[${NO_CATEGORY}]::text[] else c.categories end) as g(grp)
      left join reached_contacts rc on rc.id = c.id
      where c.deleted_at is null
      union all
      select 'organisation'::text, o.id, o.kind, o.county, (ro.id is not null)
      from organisations o left join reached_orgs ro on ro.id = o.id
      where o.deleted_at is null
    )
    select side, grp, county, grouping(grp, county) as g,
      count(distinct id) as total, count(distinct id) filter (where reached) as reached
    from items
    group by grouping sets ((side, grp, county), (side, grp), (side, county), (side))`.execute(db)
  // grouping(grp, county): bit 1 set when grp is rolled up, bit 0 when county is.
  return rows.map((r) => ({
    side: r.side,
    group: Number(r.g) & 2 ? undefined : (r.grp ?? undefined),
    county: Number(r.g) & 1 ? undefined : r.county,
    total: Number(r.total),
    reached: Number(r.reached),
  }))
}
