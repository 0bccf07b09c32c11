import { sql, type RawBuilder } from 'kysely'
import { packedRows } from '../db/packed.ts'
import { letOthersIn } from '../db/turns.ts'
import type { Executor } from '../db/write.ts'
import { idArray, type EdgesOptions } from './edges-at.ts'
import type { NetEdge } from './graph.service.ts'

/**
 * Co-participation: two organisations took part in the same activities (themselves, or through
 * people affiliated with them on the day). The whole register's pairs are read once and then kept
 * up to date activity by activity (keptCoParticipation), from the marks the writes leave
 * (migration 20261207T0400_participation_marks).
 */

/** The co-participation edge id of two organisations, whichever way round they are given. */
export function coParticipationId(a: string, b: string): string {
  return a < b ? `co:${a}:${b}` : `co:${b}:${a}`
}

/** Attendance that is no participation. */
const NOT_PARTICIPATING = ['invited', 'no_show']

/**
 * (activity, organisation) for every live done activity up to `at`: the organisation took part
 * itself, or a person affiliated with it on the activity's date did. Shared with the edge
 * explanation, which needs the same rule for one pair.
 *
 * With `activityIds`, only those activities.
 */
export function participationCte(at: string, activityIds?: readonly string[]): RawBuilder<unknown> {
  return sql`acts as (
      select a.id, coalesce(a.start_date, ${at}::date) as day from activities a
      where a.deleted_at is null and a.status = 'done' and (a.start_date is null or a.start_date <= ${at}::date)
      ${activityIds ? sql`and a.id = any(${idArray(activityIds)})` : sql``}
    ), part as (
      select ap.activity_id, ap.organisation_id from activity_participants ap
      join acts on acts.id = ap.activity_id
      where ap.organisation_id is not null and ap.attendance <> all(${sql.val(NOT_PARTICIPATING)}::text[])
      union
      select ap.activity_id, af.organisation_id from activity_participants ap
      join acts on acts.id = ap.activity_id
      join contacts c on c.id = ap.contact_id and c.deleted_at is null
      join affiliations af on af.contact_id = ap.contact_id
        and (af.start_date is null or af.start_date <= acts.day) and (af.end_date is null or af.end_date >= acts.day)
      where ap.attendance <> all(${sql.val(NOT_PARTICIPATING)}::text[])
    ), live_part as (
      select part.activity_id, part.organisation_id from part
      join organisations o on o.id = part.organisation_id and o.deleted_at is null
    )`
}

/**
 * The activities where one of these organisations may have taken part (itself, or through anyone
 * ever affiliated with it; participationCte's rule then decides): every activity behind an edge
 * at one of them, so such an edge's weight is whole. Read first, as a list: within the same
 * statement the planner guessed six times as many and read every participation.
 */
async function activitiesNear(db: Executor, ids: RawBuilder<unknown>): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select ap.activity_id as id from activity_participants ap where ap.organisation_id = any(${ids})
    union
    select ap.activity_id from affiliations af join activity_participants ap on ap.contact_id = af.contact_id
    where af.organisation_id = any(${ids})`.execute(db)
  return rows.map((r) => r.id)
}

export async function coParticipationEdges(db: Executor, at: string, near: EdgesOptions['at'], packed: boolean): Promise<NetEdge[]> {
  const ids = near && idArray(near.ids)
  // At the national size 130 000 pairs with their activities: one value on the embedded engine (packedRows).
  const rows = await packedRows(db, sql`
    with ${participationCte(at, ids && (await activitiesNear(db, ids)))}
    select x.organisation_id as a, y.organisation_id as b, count(*) as weight,
      array_to_string(array_agg(x.activity_id order by x.activity_id), ' ') as activity_ids
    from live_part x join live_part y on y.activity_id = x.activity_id and x.organisation_id < y.organisation_id
    ${!ids ? sql`` : near!.ends === 'both' ? sql`where x.organisation_id = any(${ids}) and y.organisation_id = any(${ids})` : sql`where (x.organisation_id = any(${ids}) or y.organisation_id = any(${ids}))`}
    group by x.organisation_id, y.organisation_id
    order by x.organisation_id, y.organisation_id`, ['a', 'b', 'weight', 'activity_ids'] as const, { packed })
  return rows.map((r) => {
    const [a, b] = r.a! < r.b! ? [r.a!, r.b!] : [r.b!, r.a!]
    return {
      id: coParticipationId(a, b),
      source: a,
      target: b,
      type: 'co_participation' as const,
      weight: Number(r.weight),
      activity_ids: r.activity_ids!.split(' '),
    }
  })
}

/**
 * The whole register's co-participation as kept (src/network/graph.service.ts part): its links,
 * in the order coParticipationEdges gives them, and the snapshot they were read in (text of
 * pg_snapshot). `orgsOf`: per activity the organisations behind its links, made from the links
 * when first needed.
 */
export interface KeptCoParticipation {
  edges: NetEdge[]
  snapshot: string
  orgsOf?: Promise<ReadonlyMap<string, readonly string[]>>
}

/**
 * More activities marked than this and the whole register is read again: one statement over every
 * participation (2.5 s at 200 000 contacts) against a few milliseconds for a few activities.
 */
const MAX_MARKED = 2000

/**
 * A part read anew from another the links of which it keeps, where it keeps them: per link, the
 * position of the same pair of organisations in `from` (-1: a pair new). Its ends among the nodes
 * are those of that link (src/network/graph.service.ts matchedOnce).
 */
export const derivedParts = new WeakMap<readonly NetEdge[], { from: readonly NetEdge[]; index: Int32Array }>()

const snapshotNow = async (db: Executor) => (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db)).rows[0]!.s

/** The whole register's co-participation, read in full, with the snapshot it was read in. */
export async function readCoParticipation(db: Executor, at: string, packed: boolean): Promise<KeptCoParticipation> {
  // First: on the embedded engine the statements run one by one, and the snapshot must be no later than what they read.
  const snapshot = await snapshotNow(db)
  const edges = await coParticipationEdges(db, at, undefined, packed)
  // Made meanwhile, in slices, for the first change (not within the caller's transaction).
  const orgsOf = letOthersIn().then(() => organisationsOf(edges))
  return { edges, snapshot, orgsOf }
}

/**
 * `kept` brought up to date: the activities marked by transactions its snapshot did not see are
 * read again, and the links of their organisations changed. Undefined where it cannot be (too many
 * marked, a truncate, marks removed that the snapshot may not have seen): then read it in full.
 */
export async function refreshCoParticipation(db: Executor, at: string, kept: KeptCoParticipation): Promise<KeptCoParticipation | undefined> {
  const snapshot = await snapshotNow(db)
  const prev = sql`${kept.snapshot}::pg_snapshot`
  // A person's mark stands for each activity they take part in, as this snapshot sees them.
  const { rows } = await sql<{ pruned: boolean | null; everything: boolean; ids: string[] }>`
    with m as (
      select activity_id, contact_id from participation_marks where xid >= pg_snapshot_xmin(${prev}) and not pg_visible_in_snapshot(xid, ${prev})
    )
    select (select p.xid >= pg_snapshot_xmin(${prev}) and not coalesce(pg_visible_in_snapshot(p.by, ${prev}), false) from participation_marks_pruned p) as pruned,
      exists (select from m where activity_id is null and contact_id is null) as everything,
      array(
        select activity_id::text from m where activity_id is not null
        union
        select ap.activity_id::text from activity_participants ap where ap.contact_id in (select contact_id from m where contact_id is not null)
        limit ${MAX_MARKED + 1}) as ids`.execute(db)
  const { pruned, everything, ids } = rows[0]!
  if (pruned || everything || ids.length > MAX_MARKED) return undefined
  if (ids.length === 0) return { ...kept, snapshot }
  const { rows: now } = await sql<{ activity: string; organisation: string }>`
    with ${participationCte(at, ids)}
    select distinct activity_id::text as activity, organisation_id::text as organisation from live_part`.execute(db)
  const orgs = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const r of now) orgs.get(r.activity)!.push(r.organisation)
  return changedActivities(kept, orgs, snapshot)
}

/**
 * Per activity, its organisations (each once) from the links: made when first needed, a turn for
 * others' requests between slices (900 000 activities of links at 200 000 contacts: 0.5 s).
 */
async function organisationsOf(edges: readonly NetEdge[]): Promise<Map<string, readonly string[]>> {
  const sets = new Map<string, Set<string>>()
  for (let from = 0; from < edges.length; from += SLICE) {
    if (from > 0) await letOthersIn()
    for (const e of edges.slice(from, from + SLICE)) {
      for (const id of e.activity_ids!) {
        let set = sets.get(id)
        if (!set) sets.set(id, (set = new Set()))
        set.add(e.source).add(e.target)
      }
    }
  }
  return new Map([...sets].map(([id, set]) => [id, [...set].sort()]))
}
const SLICE = 50_000

/** The first position in `edges` (by source, then target) not before the pair (a, b). */
function firstFrom(edges: readonly NetEdge[], a: string, b: string, low: number): number {
  let high = edges.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const e = edges[mid]!
    if (e.source < a || (e.source === a && e.target < b)) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * The links after these activities' organisations became `orgs` (each activity's, in any order):
 * each pair's activities as a fresh read would list them, the links in the same order (by source,
 * then target). Links not concerned are the very objects kept (parts are never modified); only the
 * pairs concerned are looked for, by halving.
 */
export async function changedActivities(kept: KeptCoParticipation, orgs: ReadonlyMap<string, readonly string[]>, snapshot: string): Promise<KeptCoParticipation> {
  const orgsOf = new Map(await (kept.orgsOf ??= organisationsOf(kept.edges)))
  // Per pair "a b": the activities it loses and gains.
  const change = new Map<string, { lose: Set<string>; gain: Set<string> }>()
  const at = (pair: string) => {
    let c = change.get(pair)
    if (!c) change.set(pair, (c = { lose: new Set(), gain: new Set() }))
    return c
  }
  const pair = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`)
  for (const [activity, now] of orgs) {
    const after = [...new Set(now)].sort()
    const before = orgsOf.get(activity) ?? []
    // Only the pairs of an organisation gone or come: a newsletter's activity has thousands of
    // recipients' organisations, millions of pairs, and its recipients are added 25 at a time.
    const was = new Set(before)
    const is = new Set(after)
    const gone = new Set(before.filter((o) => !is.has(o)))
    const come = new Set(after.filter((o) => !was.has(o)))
    for (const g of gone) for (const o of before) if (o !== g && (!gone.has(o) || g < o)) at(pair(g, o)).lose.add(activity)
    for (const c of come) for (const o of after) if (o !== c && (!come.has(o) || c < o)) at(pair(c, o)).gain.add(activity)
    if (after.length > 1) orgsOf.set(activity, after)
    else orgsOf.delete(activity)
  }
  // The same organisations again (an attendance from attended to registered): the very links kept, their ends and measures with them.
  if (change.size === 0) return { ...kept, snapshot }
  const before = kept.edges
  const edges = new Array<NetEdge>(before.length + change.size)
  const index = new Int32Array(edges.length)
  let n = 0
  let k = 0
  const keepUntil = (end: number) => {
    for (; k < end; k++) {
      edges[n] = before[k]!
      index[n++] = k
    }
  }
  for (const pair of [...change.keys()].sort()) {
    const [a, b] = pair.split(' ') as [string, string]
    const { lose, gain } = change.get(pair)!
    const at = firstFrom(before, a, b, k)
    keepUntil(at)
    const e = before[at]
    const linked = e !== undefined && e.source === a && e.target === b
    const activities = (linked ? e.activity_ids!.filter((id) => !lose.has(id)) : []).concat(...gain).sort()
    if (linked) k = at + 1
    if (activities.length === 0) continue
    edges[n] = coEdge(a, b, activities)
    index[n++] = linked ? at : -1
  }
  keepUntil(before.length)
  edges.length = n
  // The links before are matched to the nodes (matchedOnce) or never will be: a chain of them would hold every earlier version.
  derivedParts.delete(before)
  derivedParts.set(edges, { from: before, index: index.slice(0, n) })
  return { edges, snapshot, orgsOf: Promise.resolve(orgsOf) }
}

function coEdge(a: string, b: string, activities: string[]): NetEdge {
  return { id: coParticipationId(a, b), source: a, target: b, type: 'co_participation', weight: activities.length, activity_ids: activities }
}

/**
 * Removes the marks of transactions over an hour old (housekeeping, hourly), and notes the largest
 * removed and this transaction. A graph kept from a snapshot that sees this removal saw every mark
 * it removed (each was committed before the removal began); one kept from an older snapshot that
 * may not have seen them all is read again in full.
 */
export async function pruneParticipationMarks(db: Executor): Promise<void> {
  await sql`with gone as (delete from participation_marks where at < now() - interval '1 hour' returning xid)
    update participation_marks_pruned set xid = greatest(xid, (select max(xid) from gone)), by = pg_current_xact_id() where exists (select from gone)`.execute(db)
}
