import { sql, type RawBuilder } from 'kysely'
import { packedRows } from '../db/packed.ts'
import type { Executor } from '../db/write.ts'
import type { RelationshipType } from '../db/schema.ts'
import { ValidationError } from '../web/errors.ts'

/**
 * "Which edges were valid on day D": every dated link of the register, for the network graph
 * drawn as it stood that day.
 *
 * Boundary rule: an edge is valid on D when (start is null or start ≤ D) and (end is null or
 * end ≥ D) — both ends inclusive, a missing end open. A seat ending 2024-06-30 is still held on
 * that day and gone on 2024-07-01 (src/register/period.ts applies the same rule in code).
 * Soft-deleted records, and every edge that touches one, are left out.
 */

export type NodeType = 'contact' | 'organisation' | 'body' | 'alliance'

export type EdgeType =
  | 'affiliation' // contact → organisation
  | 'body_seat' // contact → body
  | 'body_representation' // organisation → body, through a seat held for it
  | 'parent' // organisation → its parent organisation (no dates: valid while both are live)
  | 'alliance_member' // organisation → alliance
  | RelationshipType // organisation → organisation

export const EDGE_SOURCES = ['affiliations', 'body_seats', 'organisation_relationships', 'parents', 'alliance_members'] as const
export type EdgeSource = (typeof EDGE_SOURCES)[number]

export interface Edge {
  type: EdgeType
  source: { type: NodeType; id: string }
  target: { type: NodeType; id: string }
  start_date: string | null
  end_date: string | null
  /** The row the edge comes from. */
  via?: { table: string; id: string }
}

export interface EdgesOptions {
  /** Only these sources (all by default). */
  sources?: readonly EdgeSource[]
  /**
   * Only the edges at these nodes: with one end among `ids` (`ends: 'either'`) or both
   * (`ends: 'both'`). An ego network reads its neighbourhood instead of the whole register.
   */
  at?: { ids: readonly string[]; ends: 'either' | 'both' }
  /**
   * The embedded engine's way: source by source outside a transaction, so that others' statements
   * run in between (a transaction holds its one connection to its end; not one snapshot then),
   * and each source's links as one value (src/db/packed.ts).
   */
  inTurns?: boolean
}

const EDGE_COLUMNS = ['type', 'source_type', 'source_id', 'target_type', 'target_id', 'start_date', 'end_date', 'via_table', 'via_id'] as const

interface EdgeRow {
  type: EdgeType
  source_type: NodeType
  source_id: string
  target_type: NodeType
  target_id: string
  start_date: string | null
  end_date: string | null
  via_table: string
  via_id: string
}

/** The boundary rule above, on a start and an end column (or expression). */
function validOn(start: RawBuilder<unknown>, end: RawBuilder<unknown>, day: string): RawBuilder<boolean> {
  return sql<boolean>`(${start} is null or ${start} <= ${day}::date) and (${end} is null or ${end} >= ${day}::date)`
}

const col = (ref: string) => sql.ref(ref) as RawBuilder<unknown>

/** One SQL query per source; the dates come back as 'YYYY-MM-DD' text on both engines. */
const QUERIES: Record<EdgeSource, (day: string) => RawBuilder<EdgeRow>> = {
  affiliations: (day) => sql<EdgeRow>`
    select 'affiliation' as type, 'contact' as source_type, a.contact_id as source_id,
      'organisation' as target_type, a.organisation_id as target_id,
      a.start_date::text as start_date, a.end_date::text as end_date, 'affiliations' as via_table, a.id as via_id
    from affiliations a
    join contacts c on c.id = a.contact_id and c.deleted_at is null
    join organisations o on o.id = a.organisation_id and o.deleted_at is null
    where ${validOn(col('a.start_date'), col('a.end_date'), day)}`,

  // A seat is a contact–body edge, and also an organisation–body edge when it is held for one.
  body_seats: (day) => sql<EdgeRow>`
    select e.type, e.source_type, e.source_id, 'body' as target_type, s.body_id as target_id,
      s.start_date::text as start_date, s.end_date::text as end_date, 'body_seats' as via_table, s.id as via_id
    from body_seats s
    join bodies b on b.id = s.body_id and b.deleted_at is null
    join contacts c on c.id = s.contact_id and c.deleted_at is null
    left join organisations o on o.id = s.organisation_id and o.deleted_at is null
    cross join lateral (values
      ('body_seat', 'contact', s.contact_id),
      ('body_representation', 'organisation', o.id)
    ) as e(type, source_type, source_id)
    where e.source_id is not null and ${validOn(col('s.start_date'), col('s.end_date'), day)}`,

  // A relationship of an organisation with itself (left by a merge of the two) is no edge.
  organisation_relationships: (day) => sql<EdgeRow>`
    select r.type, 'organisation' as source_type, r.from_organisation_id as source_id,
      'organisation' as target_type, r.to_organisation_id as target_id,
      r.start_date::text as start_date, r.end_date::text as end_date, 'organisation_relationships' as via_table, r.id as via_id
    from organisation_relationships r
    join organisations f on f.id = r.from_organisation_id and f.deleted_at is null
    join organisations t on t.id = r.to_organisation_id and t.deleted_at is null
    where r.deleted_at is null and r.from_organisation_id <> r.to_organisation_id
      and ${validOn(col('r.start_date'), col('r.end_date'), day)}`,

  parents: () => sql<EdgeRow>`
    select 'parent' as type, 'organisation' as source_type, o.id as source_id,
      'organisation' as target_type, p.id as target_id,
      null as start_date, null as end_date, 'organisations' as via_table, o.id as via_id
    from organisations o
    join organisations p on p.id = o.parent_id and p.deleted_at is null
    where o.deleted_at is null`,

  // A member's own dates, each where it is set, else the alliance's: a member that joined late
  // has its own start and still ends with the alliance.
  alliance_members: (day) => {
    const start = sql`coalesce(m.start_date, a.start_date)`
    const end = sql`coalesce(m.end_date, a.end_date)`
    return sql<EdgeRow>`
      select 'alliance_member' as type, 'organisation' as source_type, m.organisation_id as source_id,
        'alliance' as target_type, m.alliance_id as target_id,
        ${start}::text as start_date, ${end}::text as end_date, 'alliance_members' as via_table, m.id as via_id
      from alliance_members m
      join alliances a on a.id = m.alliance_id and a.deleted_at is null
      join organisations o on o.id = m.organisation_id and o.deleted_at is null
      where ${validOn(start, end, day)}`
  },
}

/** Node ids as one uuid[] parameter (`= any(…)`). */
export const idArray = (ids: readonly string[]): RawBuilder<string[]> => sql<string[]>`${sql.val(ids)}::uuid[]`

/**
 * A source's query narrowed to the edges at some nodes. PostgreSQL flattens the subquery, so the
 * condition reaches the link tables' indexes on either end (bench/README.md, ego network).
 */
export function atNodes<R>(query: RawBuilder<R>, at: NonNullable<EdgesOptions['at']>, ends: [string, string] = ['source_id', 'target_id']): RawBuilder<R> {
  const ids = idArray(at.ids)
  const [a, b] = ends.map((e) => sql.ref(`e.${e}`))
  return sql<R>`select * from (${query}) e where ${at.ends === 'both' ? sql`${a} = any(${ids}) and ${b} = any(${ids})` : sql`(${a} = any(${ids}) or ${b} = any(${ids}))`}`
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The edges valid on `date` ('YYYY-MM-DD'), read in one snapshot. */
export async function edgesValidOn(db: Executor, date: string, opts: EdgesOptions = {}): Promise<Edge[]> {
  if (!DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new ValidationError({ at: 'invalid date' })
  const sources = opts.sources ?? EDGE_SOURCES
  const read = async (tx: Executor) => {
    const out: Edge[] = []
    for (const source of sources) {
      // The register's links are the largest read of the graph: one value each on the embedded engine.
      const rows = await packedRows(tx, opts.at ? atNodes(QUERIES[source](date), opts.at) : QUERIES[source](date), EDGE_COLUMNS, { packed: opts.inTurns === true })
      for (const r of rows) {
        out.push({
          type: r.type as EdgeType,
          source: { type: r.source_type as NodeType, id: r.source_id! },
          target: { type: r.target_type as NodeType, id: r.target_id! },
          start_date: r.start_date,
          end_date: r.end_date,
          via: { table: r.via_table!, id: r.via_id! },
        })
      }
    }
    return out
  }
  // One snapshot for every source, so that an edit between two queries cannot show half of it.
  if (db.isTransaction || opts.inTurns) return read(db)
  return db.transaction().setIsolationLevel('repeatable read').execute(read)
}
