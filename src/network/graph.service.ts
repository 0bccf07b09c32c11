import { sql, type RawBuilder } from 'kysely'
import { jsonRows, packedRows } from '../db/packed.ts'
import { behindOthers, letOthersIn as nextTurn } from '../db/turns.ts'
import type { Executor } from '../db/write.ts'
import { EDGE_TYPES, type EdgeType } from '../register/vocabulary.ts'
import { atNodes, EDGE_SOURCES, edgesValidOn, idArray, type EdgeSource, type EdgesOptions } from './edges-at.ts'
import { NAMED, tableVersions } from '../db/data-version.ts'
import { coParticipationEdges, derivedParts, readCoParticipation, refreshCoParticipation, type KeptCoParticipation } from './co-participation.ts'

/**
 * The network graph of one day, assembled from the register: one SQL query per node type and
 * per edge source (never one per record), all in one snapshot.
 *
 * Node ids are the records' UUIDs (unique across tables). Edge ids are stable strings naming the
 * rows behind them, so that the page, the exports and "changes between two dates" can compare
 * them and GET /api/v1/network/edges/:id can explain them:
 *
 *   aff:<affiliation id>            affiliation          contact → organisation
 *   seat:<seat id>                  body_seat            contact → body
 *   rep:<seat id>                   body_representation  organisation → body (seat held for it)
 *   parent:<child id>               parent               organisation → parent organisation; theme → parent theme
 *   rel:<relationship id>           funds | reports_to | partner_of | member_of | advises   organisation → organisation
 *   am:<alliance member id>         alliance_member      organisation → alliance
 *   pp:<project id>:<org id>        project_partner      organisation → project (partner row and/or lead_organisation_id)
 *   co:<org id>:<org id>            co_participation     organisation – organisation (ids in ascending order)
 *   th:<record id>:<theme id>       theme                record → theme (only when theme nodes are in the view)
 *
 * Validity on the day `at` (both ends inclusive, open ends open):
 * - dated links (affiliations, seats, relationships, alliance members) per src/network/edges-at.ts;
 * - alliances and projects are nodes only while their own period includes the day, and a
 *   project's partners are linked to it for as long as it runs;
 * - organisations, contacts, bodies and themes are nodes while they are live (not deleted);
 * - co-participation counts the live `done` activities dated on or before the day (an undated
 *   one counts, judged by the affiliations of the day), where an organisation took part itself
 *   or through a person affiliated with it on the activity's date; attendance `invited` and
 *   `no_show` is no participation. Weight = the number of such activities.
 */

export const NODE_TYPES = ['organisation', 'contact', 'alliance', 'project', 'body', 'theme'] as const
export type NetNodeType = (typeof NODE_TYPES)[number]
/** Types shown when `types` is not given: everything but themes (one theme links half the register). */
export const DEFAULT_TYPES: readonly NetNodeType[] = ['organisation', 'contact', 'alliance', 'project', 'body']

export { EDGE_TYPES }
export type NetEdgeType = EdgeType

export interface NetNode {
  id: string
  type: NetNodeType
  label: string
  // Type-specific fields, present only when set.
  /** organisation, body: its kind. */
  kind?: string | null
  /** organisation; contact: their own, else their current organisation's (src/plans/plan-targets.ts). */
  county?: string | null
  /** contact. */
  categories?: string[]
  /** alliance, project. */
  status?: string | null
  /** organisation, contact, alliance, project. */
  theme_ids?: string[]
  /** theme. */
  parent_id?: string | null
  /**
   * contact: protected identity or restricted processing — in the graph of those who may see
   * them (editors, admins) but never in a file made of it: the page's PNG leaves its label out.
   */
  private?: boolean
  /** A contact whose personal data was erased (GDPR): kept as an anonymous node. */
  anonymous?: boolean
  /** organisation, in a view with `fold=people`: how many of its people it stands for. */
  people?: number
}

export interface NetEdge {
  id: string
  source: string
  target: string
  type: NetEdgeType
  weight: number
  start_date?: string | null
  end_date?: string | null
  /** project_partner: the organisation leads the project. */
  lead?: boolean
  /** co_participation: the activities behind the edge. */
  activity_ids?: string[]
}

export interface Graph {
  at: string
  /** The version of what the graph reads (src/db/data-version.ts NAMED), read in the same snapshot as the graph. */
  version: string
  /** Only the neighbourhood of a node (AssembleOptions.around), not the whole register. */
  around?: Around
  nodes: NetNode[]
  edges: NetEdge[]
  /**
   * Where each edge's ends are in `nodes`: edges[k] joins nodes[ends[2k]] and nodes[ends[2k+1]].
   * Found once, as the edges are read; the view's measures, clusters and layout read positions
   * from it instead of looking both ends up by id again (each such pass over the whole register's
   * 180 000 links took 0.1–0.15 s of the server's one thread). Shared: never transferred or written.
   */
  ends?: Int32Array
}

export interface AssembleOptions {
  at: string
  types: readonly NetNodeType[]
  /** Label of a contact whose name was erased. */
  anonymousLabel?: string
  /**
   * Only the nodes within `depth` steps of `focus` and every edge between them, read from the
   * register step by step (an ego network at the national size is a few thousand of a quarter of
   * a million nodes: reading them all took 7–11 s). Not with theme nodes, which link half the
   * register in one step: then, and when the neighbourhood grows past NEIGHBOURHOOD_LIMIT nodes,
   * the whole graph is read.
   */
  around?: Around
  /**
   * The embedded engine's way. Query by query outside a transaction, so that others' statements
   * run in between (a transaction holds its one connection to its end: the whole register at
   * 50 000 contacts held it for about a second). The data version is then read first: the graph
   * holds at least its writes, and edges whose ends were deleted meanwhile are left out as always.
   * And each large result as one value (src/db/packed.ts), which PGlite parses far faster; and
   * behind other requests' statements (behindOthers).
   */
  inTurns?: boolean
}

export interface Around {
  focus: string
  depth: number
}

/** Past this many nodes a neighbourhood is read with the whole graph: long lists of ids cost more than they save. */
export const NEIGHBOURHOOD_LIMIT = 20_000

const validOn = (start: RawBuilder<unknown>, end: RawBuilder<unknown>, day: string) =>
  sql<boolean>`(${start} is null or ${start} <= ${day}::date) and (${end} is null or ${end} >= ${day}::date)`

interface NodeRow {
  id: string
  label: string | null
  kind?: string | null
  county?: string | null
  categories?: string[] | null
  status?: string | null
  theme_ids?: string[] | null
  parent_id?: string | null
  anonymous?: boolean | null
  private?: boolean | null
}

/** `and <column> = any(ids)` when only some nodes are read, else nothing. */
type Only = (column: string) => RawBuilder<unknown>
const everyNode: Only = () => sql``
const onlyNodes = (ids: readonly string[]): Only => (column) => sql`and ${sql.ref(column)} = any(${idArray(ids)})`

const NODE_QUERIES: Record<NetNodeType, (day: string, only: Only) => RawBuilder<NodeRow>> = {
  organisation: (_day, only) => sql<NodeRow>`
    select o.id, o.name as label, o.kind, o.county, o.theme_ids
    from organisations o where o.deleted_at is null ${only('o.id')} order by o.sort_name, o.id`,
  // The county rule of src/plans/plan-targets.ts contactCounty (own county, else that of the
  // current — primary first — organisation), as one join instead of a subquery per person.
  contact: (day, only) => sql<NodeRow>`
    select c.id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as label,
      coalesce(c.county, oc.county) as county, c.categories, c.theme_ids, c.erased_at is not null as anonymous,
      c.protected_identity or c.restricted as private
    from contacts c
    left join (
      select distinct on (af.contact_id) af.contact_id, ao.county
      from affiliations af join organisations ao on ao.id = af.organisation_id and ao.deleted_at is null
      where ao.county is not null and ${validOn(sql.ref('af.start_date'), sql.ref('af.end_date'), day)} ${only('af.contact_id')}
      order by af.contact_id, af.is_primary desc, ao.sort_name, ao.id
    ) oc on oc.contact_id = c.id
    where c.deleted_at is null ${only('c.id')} order by c.sort_name, c.id`,
  alliance: (day, only) => sql<NodeRow>`
    select a.id, a.name as label, a.status, a.theme_ids
    from alliances a where a.deleted_at is null and ${validOn(sql.ref('a.start_date'), sql.ref('a.end_date'), day)} ${only('a.id')}
    order by a.sort_name, a.id`,
  project: (day, only) => sql<NodeRow>`
    select p.id, p.name as label, p.status, p.theme_ids
    from projects p where p.deleted_at is null and ${validOn(sql.ref('p.start_date'), sql.ref('p.end_date'), day)} ${only('p.id')}
    order by p.sort_name, p.id`,
  body: (_day, only) => sql<NodeRow>`select b.id, b.name as label, b.kind from bodies b where b.deleted_at is null ${only('b.id')} order by b.sort_name, b.id`,
  theme: (_day, only) => sql<NodeRow>`select t.id, t.name as label, t.parent_id from themes t where t.deleted_at is null ${only('t.id')} order by t.sort_name, t.id`,
}

/** The columns each NODE_QUERIES query selects (read as one value: jsonRows). */
const NODE_COLUMNS: Record<NetNodeType, readonly (keyof NodeRow)[]> = {
  organisation: ['id', 'label', 'kind', 'county', 'theme_ids'],
  contact: ['id', 'label', 'county', 'categories', 'theme_ids', 'anonymous', 'private'],
  alliance: ['id', 'label', 'status', 'theme_ids'],
  project: ['id', 'label', 'status', 'theme_ids'],
  body: ['id', 'label', 'kind'],
  theme: ['id', 'label', 'parent_id'],
}

/** Which edges-at sources can connect two of the requested node types. */
function sourcesFor(types: ReadonlySet<NetNodeType>): EdgeSource[] {
  const need: Record<EdgeSource, boolean> = {
    affiliations: types.has('contact') && types.has('organisation'),
    body_seats: types.has('body') && (types.has('contact') || types.has('organisation')),
    organisation_relationships: types.has('organisation'),
    parents: types.has('organisation'),
    alliance_members: types.has('organisation') && types.has('alliance'),
  }
  return EDGE_SOURCES.filter((s) => need[s])
}

const EDGE_PREFIX: Record<string, string> = {
  affiliation: 'aff', body_seat: 'seat', body_representation: 'rep', alliance_member: 'am',
  funds: 'rel', reports_to: 'rel', partner_of: 'rel', member_of: 'rel', advises: 'rel',
}


/**
 * The tables each part of the whole graph reads (tableVersions): a part is read again only when one
 * of them was written since it was last read — not for the details of a person, an organisation or
 * an activity corrected, which no part reads (NAMED; tests/plans/counted-scope.test.ts explains
 * their statements). A link reads of a person or an organisation only
 * whether it is live (and an organisation's parent): those columns count on their own, so that a
 * person's or an organisation's other edits leave every link as it was read. A test writes each
 * table and column a part reads and compares the graph with one read afresh
 * (tests/network/graph-parts.test.ts).
 */
const NODE_READS: Record<NetNodeType, readonly string[]> = {
  organisation: ['organisations'],
  // A person's county may be that of their organisation (by its name's order among several).
  contact: ['contacts', 'affiliations', 'organisations'],
  alliance: ['alliances'],
  project: ['projects'],
  body: ['bodies'],
  theme: ['themes'],
}
const LIVE_ENDS = ['contacts:deleted_at', 'organisations:deleted_at']
const EDGE_READS: Record<EdgeSource | 'project_partners' | 'co_participation', readonly string[]> = {
  affiliations: ['affiliations', ...LIVE_ENDS],
  body_seats: ['body_seats', 'bodies', ...LIVE_ENDS],
  organisation_relationships: ['organisation_relationships', 'organisations:deleted_at'],
  parents: ['organisations:deleted_at', 'organisations:parent_id'],
  alliance_members: ['alliance_members', 'alliances', 'organisations:deleted_at'],
  project_partners: ['projects', 'project_partners', 'organisations:deleted_at'],
  co_participation: ['activities', 'activity_participants', 'affiliations', ...LIVE_ENDS],
}

/** What co-participation's kept part follows activity by activity (marks: 20261207T0400_participation_marks). */
const CO_PARTICIPATION_MARKED = ['activities', 'activity_participants', 'affiliations', 'contacts:deleted_at']

/**
 * Parts kept per database, the least recently read dropped first: every part of the whole graph of
 * two days (a national register's are hundreds of megabytes; the page's is today's).
 */
const MAX_PARTS = 2 * (NODE_TYPES.length + EDGE_SOURCES.length + 2)
const keptParts = new WeakMap<Executor, Map<string, { versions: bigint[]; value: unknown }>>()

/**
 * A part of the whole graph (`name`: which, of which day): the one kept, if none of the tables it
 * reads was written since it was read, else read now and kept — unless a read of a later state
 * was kept meanwhile. Shared between graphs: never modified (the view copies what it changes).
 *
 * `refresh`: where only its `tables` were written since, the kept part brought up to date from it
 * (undefined: read it anew after all).
 */
async function part<T>(
  db: Executor, name: string, reads: readonly string[], versions: TableVersions, read: () => Promise<T>,
  refresh?: { tables: readonly string[]; run: (kept: T) => Promise<T | undefined> },
): Promise<T> {
  let parts = keptParts.get(db)
  if (!parts) keptParts.set(db, (parts = new Map()))
  const at = reads.map((t) => versions.namedOf(t))
  const hit = parts.get(name)
  if (hit && hit.versions.every((v, i) => v === at[i])) {
    // The most recently read last: the first to go is the least recently read.
    parts.delete(name)
    parts.set(name, hit)
    return hit.value as T
  }
  const refreshed = hit && refresh && reads.every((t, i) => hit.versions[i] === at[i] || refresh.tables.includes(t)) ? await refresh.run(hit.value as T) : undefined
  const value = refreshed ?? (await read())
  const kept = parts.get(name)
  if (!kept || !kept.versions.every((v, i) => v >= at[i]!)) {
    parts.delete(name)
    parts.set(name, { versions: at, value })
    if (parts.size > MAX_PARTS) parts.delete(parts.keys().next().value!)
  }
  return value
}

type TableVersions = Awaited<ReturnType<typeof tableVersions>>

/**
 * The base graph of a day: every live node of the requested types and every edge valid then
 * between them — or, with `around`, only those within some steps of one node. The whole graph is
 * read in parts (part): after a write, only the parts that read what it wrote.
 */
export async function assembleGraph(db: Executor, opts: AssembleOptions): Promise<Graph> {
  const types = new Set(opts.types)
  const at = opts.at
  const inTurns = opts.inTurns === true
  const label = opts.anonymousLabel ?? '—'
  const read = async (tx: Executor): Promise<Read> => {
    // First: in a snapshot it names what every query below sees; in turns, at least that.
    const versions = await tableVersions(tx)
    const near = opts.around && !types.has('theme') ? await neighbourhood(tx, at, types, opts.around, inTurns) : undefined
    // Not within a caller's transaction: its writes are not committed, and may never be.
    const kept = <T>(name: string, reads: readonly string[], read: () => Promise<T>) =>
      near || db.isTransaction ? read() : part(db, `${name} ${at}`, reads, versions, read)
    const only = near ? onlyNodes(near) : everyNode
    const nodes: NetNode[] = []
    for (const type of NODE_TYPES) {
      if (!types.has(type)) continue
      const name = type === 'contact' ? `${type} ${label}` : type
      const rows = await kept(name, NODE_READS[type], async () =>
        (await jsonRows(tx, NODE_QUERIES[type](at, only), NODE_COLUMNS[type], { packed: inTurns })).map((r) => toNode(type, r, label)))
      // One by one: spread into push, a national register's people overflow the call stack.
      for (const n of rows) nodes.push(n)
    }
    const nearIds = near ? { ids: nodes.map((n) => n.id), ends: 'both' as const } : undefined
    const linkParts: NetEdge[][] = []
    for (const source of sourcesFor(types)) linkParts.push(await kept(source, EDGE_READS[source], () => datedEdges(tx, at, source, nearIds, inTurns)))
    if (types.has('project') && types.has('organisation')) {
      linkParts.push(await kept('project_partners', EDGE_READS.project_partners, () => projectPartnerEdges(tx, at, nearIds)))
    }
    if (types.has('organisation')) {
      linkParts.push(
        near || db.isTransaction
          ? await coParticipationEdges(tx, at, nearIds, inTurns)
          : (
              await part<KeptCoParticipation>(db, `co_participation ${at}`, EDGE_READS.co_participation, versions, () => readCoParticipation(tx, at, inTurns), {
                tables: CO_PARTICIPATION_MARKED,
                run: (kept) => refreshCoParticipation(tx, at, kept),
              })
            ).edges,
      )
    }
    if (types.has('theme')) linkParts.push(themeEdges(nodes))
    return { nodes, linkParts, version: String(versions.sumOf(NAMED)), near: near !== undefined }
  }
  // Outside the snapshot (its connection is not held meanwhile), after a turn of the event loop:
  // parts kept come without a query, and so without a turn; the whole register's nodes, links and
  // their ends would otherwise hold the server's thread for seconds.
  const assemble = async ({ nodes, linkParts, version, near }: Read): Promise<Graph> => {
    await nextTurn()
    // Theme links are made from the nodes each time: never the same.
    const { edges, ends } =
      near || db.isTransaction || types.has('theme') ? matchEnds(nodes, linkParts) : matchedOnce(db, `${at} ${[...types].sort().join(',')} ${label}`, nodes, linkParts)
    const graph: Graph = { at, version, nodes, edges, ends }
    if (near) graph.around = opts.around
    return graph
  }
  if (db.isTransaction) return assemble(await read(db))
  if (inTurns) return assemble(await behindOthers(() => read(db)))
  // One snapshot for every query, so that an edit in between cannot show half of it.
  return assemble(await db.transaction().setIsolationLevel('repeatable read').execute(read))
}

/** What assembleGraph reads: the nodes, the links of each part (ends not checked yet), the data version. */
interface Read {
  nodes: NetNode[]
  linkParts: NetEdge[][]
  version: string
  /** Only a neighbourhood was read. */
  near: boolean
}

/** The links whose ends are both nodes, and where each end is in `nodes` (Graph.ends). */
function matchEnds(nodes: readonly NetNode[], linkParts: readonly NetEdge[][]): { edges: NetEdge[]; ends: Int32Array } {
  const position = positions(nodes.map((n) => n.id))
  return joined(linkParts, linkParts.map((part) => partEnds(part, position)))
}

/** Each id's position in `ids`. */
export function positions(ids: readonly string[]): Map<string, number> {
  const position = new Map<string, number>()
  ids.forEach((id, i) => position.set(id, i))
  return position
}

let endsLookedUp = 0
/** How many links' ends were looked up by id so far (a test's measure of matchedOnce's work). */
export const linkEndsLookedUp = () => endsLookedUp

/** Per link of a part, the positions of its source and its target among the nodes; -1 where an end is no node. */
function partEnds(part: readonly NetEdge[], position: ReadonlyMap<string, number>): Int32Array {
  endsLookedUp += 2 * part.length
  const ends = new Int32Array(2 * part.length)
  part.forEach((e, k) => {
    ends[2 * k] = position.get(e.source) ?? -1
    ends[2 * k + 1] = position.get(e.target) ?? -1
  })
  return ends
}

/** The links of every part whose ends are both nodes, with those ends (Graph.ends). */
function joined(linkParts: readonly NetEdge[][], partsEnds: readonly Int32Array[]): { edges: NetEdge[]; ends: Int32Array } {
  let n = 0
  for (const pe of partsEnds) for (let k = 0; k < pe.length; k += 2) if (pe[k]! >= 0 && pe[k + 1]! >= 0) n++
  const edges = new Array<NetEdge>(n)
  const ends = new Int32Array(2 * n)
  let at = 0
  linkParts.forEach((part, p) => {
    const pe = partsEnds[p]!
    for (let k = 0; k < part.length; k++) {
      const a = pe[2 * k]!
      const b = pe[2 * k + 1]!
      if (a < 0 || b < 0) continue
      edges[at] = part[k]!
      ends[2 * at] = a
      ends[2 * at + 1] = b
      at++
    }
  })
  return { edges, ends }
}

/**
 * The links of the whole graph last matched to their nodes, per day, node types and label: the two
 * most recently read (the page's today, in one language or two). They hold their parts, also
 * after the parts' cache has let them go, until they are pushed out.
 */
const lastMatched = new WeakMap<Executor, Map<string, { ids: string[]; linkParts: readonly NetEdge[][]; edges: NetEdge[]; ends: Int32Array }>>()
const MAX_MATCHED = 2

/**
 * Each kept part's links last matched to nodes: the ids of those nodes, in their order, and
 * partEnds against them. Never modified; a part matched again gets a new entry.
 */
const matchedParts = new WeakMap<readonly NetEdge[], { ids: readonly string[]; ends: Int32Array }>()

/**
 * matchEnds, for the kept parts. The same links between the same nodes in the same order (after
 * a person's or an organisation's edit that moved nobody in the names' order) give what they gave
 * last time. Otherwise only a part read again is matched by id; a part kept takes its ends of last
 * time through the nodes' new positions. Finding both ends of 900 000 links by id took 0.6–1.8 s
 * at 200 000 contacts: a lookup of 230 000 ids is memory bound, and a link needs two.
 */
function matchedOnce(db: Executor, key: string, nodes: readonly NetNode[], linkParts: readonly NetEdge[][]): { edges: NetEdge[]; ends: Int32Array } {
  let matched = lastMatched.get(db)
  if (!matched) lastMatched.set(db, (matched = new Map()))
  const last = matched.get(key)
  matched.delete(key)
  if (last && last.linkParts.length === linkParts.length && last.linkParts.every((p, i) => p === linkParts[i]) && sameIds(last.ids, nodes)) {
    matched.set(key, last)
    return last
  }
  const ids = last && sameIds(last.ids, nodes) ? last.ids : nodes.map((n) => n.id)
  let position: Map<string, number> | undefined
  const at = () => (position ??= positions(ids))
  // Per list of ids a kept part was matched to: each of those ids' position now (-1: no node), or null for these very ids.
  const moved = new Map<readonly string[], Int32Array | null>()
  /** A part's ends of last time, through the nodes' new positions. */
  const movedEnds = (part: readonly NetEdge[], kept: { ids: readonly string[]; ends: Int32Array }): Int32Array => {
    let to = moved.get(kept.ids)
    if (to === undefined) {
      to = kept.ids === ids || sameIds(kept.ids, ids) ? null : Int32Array.from(kept.ids, (id) => at().get(id) ?? -1)
      moved.set(kept.ids, to)
    }
    if (to === null) return kept.ends
    const ends = new Int32Array(kept.ends.length)
    for (let k = 0; k < ends.length; k++) {
      const was = kept.ends[k]!
      // An end that was no node may be one now.
      ends[k] = was >= 0 ? to[was]! : endAt(part[k >> 1]!, k)
    }
    return ends
  }
  const endAt = (e: NetEdge, k: number) => {
    endsLookedUp++
    return at().get(k & 1 ? e.target : e.source) ?? -1
  }
  const partsEnds = linkParts.map((part) => {
    const kept = matchedParts.get(part)
    const derived = kept ? undefined : derivedParts.get(part)
    const keptFrom = derived && matchedParts.get(derived.from)
    let ends: Int32Array
    if (kept) ends = movedEnds(part, kept)
    else if (derived && keptFrom) {
      // Read anew from a part matched before: the links it kept have their ends of last time.
      const from = movedEnds(derived.from, keptFrom)
      ends = new Int32Array(2 * part.length)
      derived.index.forEach((j, k) => {
        ends[2 * k] = j >= 0 ? from[2 * j]! : endAt(part[k]!, 2 * k)
        ends[2 * k + 1] = j >= 0 ? from[2 * j + 1]! : endAt(part[k]!, 2 * k + 1)
      })
    } else ends = partEnds(part, at())
    if (kept?.ends !== ends) matchedParts.set(part, { ids, ends })
    // Its ends are its own now: the part it came from may go.
    if (derived) derivedParts.delete(part)
    return ends
  })
  const fresh = { ids, linkParts, ...joined(linkParts, partsEnds) }
  matched.set(key, fresh)
  if (matched.size > MAX_MATCHED) matched.delete(matched.keys().next().value!)
  return fresh
}

/** Whether two lists hold the same ids in the same order (nodes by their ids). */
function sameIds(ids: readonly string[], other: readonly (string | NetNode)[]): boolean {
  if (ids.length !== other.length) return false
  for (let i = 0; i < ids.length; i++) {
    const o = other[i]!
    if (ids[i] !== (typeof o === 'string' ? o : o.id)) return false
  }
  return true
}

/**
 * The ids of the nodes within `depth` steps of `focus`, one step at a time: each step reads the
 * edges at the nodes the last step reached. It may hold more than the ego network (a step can
 * pass a node that is no node of the day, which the graph then leaves out); every node of the
 * ego network is in it, so the view's own ego step picks exactly the same nodes. Undefined when
 * it grows past NEIGHBOURHOOD_LIMIT.
 */
async function neighbourhood(tx: Executor, at: string, types: ReadonlySet<NetNodeType>, around: Around, inTurns: boolean): Promise<string[] | undefined> {
  const ball = new Set([around.focus])
  let frontier = [around.focus]
  for (let step = 0; step < around.depth && frontier.length > 0; step++) {
    const next: string[] = []
    for (const e of await edgesOf(tx, at, types, { ids: frontier, ends: 'either' }, inTurns)) {
      for (const id of [e.source, e.target]) {
        if (!ball.has(id)) {
          ball.add(id)
          next.push(id)
        }
      }
    }
    if (ball.size > NEIGHBOURHOOD_LIMIT) return undefined
    frontier = next
  }
  return [...ball]
}

/** Every edge of the day between nodes of these types (ends not checked), or only those at some nodes: for a neighbourhood's steps. */
async function edgesOf(tx: Executor, at: string, types: ReadonlySet<NetNodeType>, near: EdgesOptions['at'], inTurns: boolean): Promise<NetEdge[]> {
  const edges: NetEdge[] = []
  // One by one: spread into push, a national register's links overflow the call stack.
  for (const source of sourcesFor(types)) for (const e of await datedEdges(tx, at, source, near, inTurns)) edges.push(e)
  if (types.has('project') && types.has('organisation')) for (const e of await projectPartnerEdges(tx, at, near)) edges.push(e)
  if (types.has('organisation')) for (const e of await coParticipationEdges(tx, at, near, inTurns)) edges.push(e)
  return edges
}

/** The dated links of one source valid on the day (ends not checked), with their stable ids. */
async function datedEdges(tx: Executor, at: string, source: EdgeSource, near: EdgesOptions['at'], inTurns: boolean): Promise<NetEdge[]> {
  return (await edgesValidOn(tx, at, { sources: [source], at: near, inTurns })).map((e) => {
    const id = e.type === 'parent' ? `parent:${e.source.id}` : `${EDGE_PREFIX[e.type]}:${e.via!.id}`
    const edge: NetEdge = { id, source: e.source.id, target: e.target.id, type: e.type, weight: 1 }
    if (e.start_date) edge.start_date = e.start_date
    if (e.end_date) edge.end_date = e.end_date
    return edge
  })
}

/** Theme edges: of each node to its themes, and of each theme to its parent. */
function themeEdges(nodes: readonly NetNode[]): NetEdge[] {
  const edges: NetEdge[] = []
  for (const n of nodes) {
    if (n.type === 'theme') {
      if (n.parent_id) edges.push({ id: `parent:${n.id}`, source: n.id, target: n.parent_id, type: 'parent', weight: 1 })
      continue
    }
    for (const t of n.theme_ids ?? []) edges.push({ id: `th:${n.id}:${t}`, source: n.id, target: t, type: 'theme', weight: 1 })
  }
  return edges
}

/** Fields a node's type carries, left out when empty (a large view is megabytes of JSON). */
function toNode(type: NetNodeType, r: NodeRow, anonymousLabel: string): NetNode {
  const n: NetNode = { id: r.id, type, label: r.label ?? anonymousLabel }
  if (r.kind) n.kind = r.kind
  if (r.county) n.county = r.county
  if (r.categories?.length) n.categories = r.categories
  if (r.status) n.status = r.status
  if (r.theme_ids?.length) n.theme_ids = r.theme_ids
  if (r.parent_id) n.parent_id = r.parent_id
  if (r.private) n.private = true
  if (type === 'contact' && r.anonymous) {
    n.anonymous = true
    n.label = anonymousLabel
  }
  return n
}

interface PartnerRow {
  project_id: string
  organisation_id: string
  lead: boolean
  start_date: string | null
  end_date: string | null
}

/** Partner rows and the lead organisation, one edge per project and organisation. */
async function projectPartnerEdges(db: Executor, at: string, near: EdgesOptions['at']): Promise<NetEdge[]> {
  const partners = sql<PartnerRow>`
    select p.id as project_id, x.organisation_id, bool_or(x.lead) as lead,
      p.start_date::text as start_date, p.end_date::text as end_date
    from projects p
    cross join lateral (
      select pp.organisation_id, false as lead from project_partners pp where pp.project_id = p.id
      union all
      select p.lead_organisation_id, true where p.lead_organisation_id is not null
    ) x
    join organisations o on o.id = x.organisation_id and o.deleted_at is null
    where p.deleted_at is null and ${validOn(sql.ref('p.start_date'), sql.ref('p.end_date'), at)}
    group by p.id, x.organisation_id, p.start_date, p.end_date`
  const { rows } = await sql<PartnerRow>`
    select * from (${near ? atNodes(partners, near, ['organisation_id', 'project_id']) : partners}) pp
    order by pp.project_id, pp.organisation_id`.execute(db)
  return rows.map((r) => {
    const e: NetEdge = { id: `pp:${r.project_id}:${r.organisation_id}`, source: r.organisation_id, target: r.project_id, type: 'project_partner', weight: 1, lead: Boolean(r.lead) }
    if (r.start_date) e.start_date = r.start_date
    if (r.end_date) e.end_date = r.end_date
    return e
  })
}

