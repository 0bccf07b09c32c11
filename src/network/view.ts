import { letOthersIn as nextTurn } from '../db/turns.ts'
import { sql } from 'kysely'
import { segmentMemberIds } from '../segments/segment-members.ts'
import { findSegment } from '../segments/segments.service.ts'
import { hiddenContactIds, privacyState, type Audience } from '../privacy/visibility.ts'
import type { Executor } from '../db/write.ts'
import { outlivesRequest } from '../db/client-gone.ts'
import { planProgress } from '../plans/plan-progress.ts'
import { NotFoundError } from '../web/errors.ts'
import { assembleGraph, DEFAULT_TYPES, positions, type Graph, type NetEdge, type NetNode, type NetNodeType } from './graph.service.ts'
import { edgeIndices, indicesOf, measureLists, type MeasureLists } from './measures.ts'
import { measureOffThread } from './measures-off-thread.ts'
import type { ClusterBy, Highlight, NetworkQuery } from './network.schema.ts'
import { clusterView, type ClusteredEdge, type ClusteredNode } from './cluster.ts'
import { cachedLayout, LAYOUT_THRESHOLD, supersedeLayouts, type Positions } from './layout.ts'
import { dataVersion, NAMED } from '../db/data-version.ts'
import { today } from '../register/vocabulary.ts'

/**
 * A view of the network: the graph of a day, narrowed by filters (AND: what does not match is
 * left out), optionally around one node (ego network), with highlight flags (OR: the rest is
 * dimmed, nothing is left out) and the measures of exactly what is shown.
 *
 * Filters: each applies to the node types that carry the field and leaves the others alone —
 *   theme_id → organisations, contacts, alliances, projects (any of the record's themes, or a
 *              sub-theme of one named); theme nodes: the named themes and their sub-themes
 *   kind     → organisations and bodies
 *   county   → organisations and contacts (a person's own county, else their current organisation's)
 *   category → contacts (any of their categories)
 *   alliance_status → alliances
 *   plan_id + plan_reach=reached|not_reached (or reach=) → organisations and contacts: only the
 *              plan's targets with that outcome (src/plans/plan-progress.ts, as of the view's day);
 *              plan_id alone marks each target node with `plan: reached|not_reached`
 * Highlight: hl_<field> for each of those (hl_theme_id, hl_kind, hl_county, hl_category,
 * hl_alliance_status, hl_plan_reach) plus hl_type and hl_id; a node matching any of them gets
 * `match: true`, every other node `match: false`; an edge `match: true` when both ends match.
 * Repeating a parameter means "any of"; different parameters all apply. An edge stays when both
 * its ends do.
 */

export type NodeOut = NetNode & {
  degree: number
  betweenness: number
  community: number
  /** With `plan_id`: the target's outcome; absent on nodes that are no target. */
  plan?: 'reached' | 'not_reached'
  /** With `highlight=`: whether the node matches any highlight. */
  match?: boolean
  x?: number
  y?: number
}

export type EdgeOut = NetEdge & {
  /** With `highlight=`: both ends match. */
  match?: boolean
  /** The two ends are in different communities. */
  bridge?: boolean
}

export interface ViewMeta {
  at: string
  types: NetNodeType[]
  node_count: number
  edge_count: number
  community_count: number
  /** Betweenness estimated from a sample of sources (large views). */
  betweenness_sampled: boolean
  focus: string | null
  depth: number | null
  /**
   * `server` / `server_cached`: nodes carry x, y from the server (LAYOUT_THRESHOLD); `client`: the
   * page lays out; `pending`: the server is still computing positions (ask again shortly);
   * `server_previous` (the page's views only, `previousPlaces`): still computing, and meanwhile the
   * nodes carry the positions of the same view before the latest change (nodes added since have none).
   */
  layout: 'client' | 'server' | 'server_cached' | 'server_previous' | 'pending'
  /** How the view is clustered, if it is. node_count and edge_count are of the unclustered view. */
  cluster: ClusterBy | null
  expanded: string[]
  data_version: string
  /**
   * The page's views only (`staleWhileComputing`): this is the last view of the same query, of the
   * register as it was at `data_version`, shown while the view of the latest change is computed.
   */
  stale?: boolean
}

export interface View {
  /** With clustering: group nodes (`type: "cluster"`) among the nodes of open groups. */
  nodes: ClusteredNode[]
  edges: ClusteredEdge[]
  meta: ViewMeta
  /** Ranked lists: brokers and bridge nodes (listLimit), isolated (first ISOLATED_LIMIT by name), bridge edges (first BRIDGE_EDGE_LIMIT); the counts are of all. */
  measures: MeasureLists & { isolated_count?: number; bridge_edge_count: number }
}

export type ViewQuery = ViewParams & Partial<Pick<NetworkQuery, 'cluster' | 'expand' | 'layout'>>

export type ViewParams = Pick<NetworkQuery, 'types' | 'at' | 'theme_id' | 'kind' | 'county' | 'category' | 'alliance_status' | 'plan_id' | 'plan_reach' | 'focus' | 'depth' | 'highlight'> &
  Partial<Pick<NetworkQuery, 'segment'>> &
  Partial<Pick<NetworkQuery, 'fold' | 'unfold' | 'unlinked'>>

export function viewTypes(q: { types: readonly NetNodeType[] }): NetNodeType[] {
  return q.types.length > 0 ? [...new Set(q.types)] : [...DEFAULT_TYPES]
}

/** Theme ids and all their sub-themes. */
export async function themeClosure(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom('themes').select(['id', 'parent_id']).where('deleted_at', 'is', null).execute()
  const children = new Map<string, string[]>()
  for (const r of rows) if (r.parent_id) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id])
  const out = new Set<string>()
  const queue = [...ids]
  while (queue.length) {
    const id = queue.pop()!
    if (out.has(id)) continue
    out.add(id)
    queue.push(...(children.get(id) ?? []))
  }
  return out
}

export interface Filters {
  themes: Set<string> | null
  kind: string[]
  county: string[]
  category: string[]
  alliance_status: string[]
  reach: 'reached' | 'not_reached' | null
  /** People: only these (a segment's members). */
  members?: Set<string> | null
}

/** A live segment's members now; 404 for an unknown or deleted segment. */
async function segmentMembersOf(db: Executor, id: string): Promise<Set<string>> {
  if (!(await findSegment(db, id))) throw new NotFoundError()
  const { rows } = await sql<{ contact_id: string }>`${segmentMemberIds({ ids: [id] })}`.execute(db)
  return new Set(rows.map((r) => r.contact_id))
}

/** Does the node pass every filter that applies to its type? */
export function passes(n: NetNode & { plan?: string }, f: Filters): boolean {
  if (f.themes) {
    if (n.type === 'theme') {
      if (!f.themes.has(n.id)) return false
    } else if (n.type !== 'body' && !(n.theme_ids ?? []).some((t) => f.themes!.has(t))) return false
  }
  if (f.kind.length && (n.type === 'organisation' || n.type === 'body') && !f.kind.includes(n.kind ?? '')) return false
  if (f.county.length && (n.type === 'organisation' || n.type === 'contact') && !f.county.includes(n.county ?? '')) return false
  if (f.category.length && n.type === 'contact' && !(n.categories ?? []).some((c) => f.category.includes(c))) return false
  if (f.alliance_status.length && n.type === 'alliance' && !f.alliance_status.includes(n.status ?? '')) return false
  if (f.reach && (n.type === 'organisation' || n.type === 'contact') && n.plan !== f.reach) return false
  if (f.members && n.type === 'contact' && !f.members.has(n.id)) return false
  return true
}

/** Does the node match any highlight (OR)? A field the node's type does not carry never matches. */
export function matches(n: NetNode & { plan?: string }, hl: readonly Highlight[], themes: Set<string>): boolean {
  return hl.some(({ field, value }) => {
    switch (field) {
      case 'theme_id':
        return n.type === 'theme' ? themes.has(n.id) : (n.theme_ids ?? []).some((t) => themes.has(t))
      case 'kind':
        return (n.type === 'organisation' || n.type === 'body') && n.kind === value
      case 'county':
        return (n.type === 'organisation' || n.type === 'contact') && n.county === value
      case 'category':
        return n.type === 'contact' && (n.categories ?? []).includes(value)
      case 'alliance_status':
        return n.type === 'alliance' && n.status === value
      case 'plan_reach':
        return n.plan === value
      case 'type':
        return n.type === value
      case 'id':
        return n.id === value
    }
  })
}

/** The nodes within `depth` steps of `focus` (edges taken either way). */
export function egoNodes(focus: string, depth: number, edges: readonly { source: string; target: string }[]): Set<string> {
  const neighbours = new Map<string, string[]>()
  const link = (a: string, b: string) => {
    const list = neighbours.get(a)
    if (list) list.push(b)
    else neighbours.set(a, [b])
  }
  for (const e of edges) {
    link(e.source, e.target)
    link(e.target, e.source)
  }
  const seen = new Set([focus])
  let frontier = [focus]
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = []
    for (const v of frontier) {
      for (const w of neighbours.get(v) ?? []) {
        if (!seen.has(w)) {
          seen.add(w)
          next.push(w)
        }
      }
    }
    frontier = next
  }
  return seen
}

export interface ViewOptions {
  anonymousLabel?: string
  /** Who the view is for: people they may not see are left out (src/privacy/visibility.ts). */
  audience?: Audience
  /** Cap on the ranked lists. */
  listLimit?: number
  /** Read the graph query by query, others' requests in between (the embedded engine: AssembleOptions.inTurns). */
  inTurns?: boolean
}

/** The nodes and edges a query shows, before measures: the base graph, plan outcome, filters, ego. */
export async function selectView(
  db: Executor,
  q: ViewParams,
  opts: ViewOptions = {},
): Promise<{ graph: Graph; nodes: (NetNode & { plan?: 'reached' | 'not_reached' })[]; edges: NetEdge[]; themes: Set<string>; ends?: Int32Array }> {
  const at = q.at ?? today()
  const types = viewTypes(q)
  // An ego network reads only its neighbourhood (what the steps below pick is the same).
  const around = q.focus ? { focus: q.focus, depth: q.depth ?? 1 } : undefined
  const graph = await assembleGraph(db, { at, types, anonymousLabel: opts.anonymousLabel, around, inTurns: opts.inTurns })

  let nodes: (NetNode & { plan?: 'reached' | 'not_reached' })[] = graph.nodes
  // The base graph is shared by every reader; who may see whom is applied per view.
  const hidden = await hiddenContactIds(db, opts.audience ?? 'export')
  if (hidden.size) nodes = nodes.filter((n) => !hidden.has(n.id))
  if (q.plan_id) {
    const plan = await db.selectFrom('plans').select('id').where('id', '=', q.plan_id).where('deleted_at', 'is', null).executeTakeFirst()
    if (!plan) throw new NotFoundError()
    const progress = await planProgress(db, q.plan_id, at)
    const outcome = new Map<string, 'reached' | 'not_reached'>()
    for (const t of progress.targets) outcome.set(t.id, t.via_activity_ids.length > 0 ? 'reached' : 'not_reached')
    nodes = nodes.map((n) => (outcome.has(n.id) ? { ...n, plan: outcome.get(n.id)! } : n))
  }

  const hlThemeIds = q.highlight.filter((h) => h.field === 'theme_id').map((h) => h.value)
  const themes = await themeClosure(db, hlThemeIds)
  const filterThemes = q.theme_id.length ? await themeClosure(db, q.theme_id) : null
  const filters: Filters = {
    themes: filterThemes,
    kind: q.kind,
    county: q.county,
    category: q.category,
    alliance_status: q.alliance_status,
    reach: q.plan_reach ?? null,
    members: q.segment ? await segmentMembersOf(db, q.segment) : null,
  }
  const filtering = !!(filters.themes || filters.kind.length || filters.county.length || filters.category.length || filters.alliance_status.length || filters.reach || filters.members)
  const shown = filtering ? new Set(nodes.map((n) => n.id)) : undefined
  nodes = nodes.filter((n) => passes(n, filters))
  // The ids of the nodes kept so far, made when needed: for the whole register, no filter, never (two sets of 230 000 ids at 200 000 contacts).
  let keptIds: Set<string> | undefined
  const kept = () => (keptIds ??= new Set(nodes.map((n) => n.id)))
  // The graph's edges join its own nodes: with every node kept (the whole register, no filter)
  // they are all kept, without two lookups per edge (0.12 s of the server's thread at 50 000 contacts).
  let edges = nodes.length === graph.nodes.length ? graph.edges : graph.edges.filter((e) => kept().has(e.source) && kept().has(e.target))
  if (shown) {
    // A person linked only to records a filter hid (e.g. an organisation of another kind) goes
    // with them: otherwise a "county boards" view keeps every other organisation's people as dots.
    const linked = new Set<string>()
    const linkedBefore = new Set<string>()
    for (const e of graph.edges) {
      if (shown.has(e.source) && shown.has(e.target)) linkedBefore.add(e.source).add(e.target)
    }
    for (const e of edges) linked.add(e.source).add(e.target)
    const orphaned = nodes.filter((n) => n.type === 'contact' && linkedBefore.has(n.id) && !linked.has(n.id))
    if (orphaned.length) {
      const ids = kept()
      for (const n of orphaned) ids.delete(n.id)
      nodes = nodes.filter((n) => ids.has(n.id))
    }
  }

  if (q.focus) {
    if (!kept().has(q.focus)) throw new NotFoundError()
    const ego = egoNodes(q.focus, q.depth ?? 1, edges)
    nodes = nodes.filter((n) => ego.has(n.id))
    edges = edges.filter((e) => ego.has(e.source) && ego.has(e.target))
  }
  if (q.unlinked === 'hide') {
    // The network of a day: who had no relationship valid then is not part of it.
    const linked = new Set<string>()
    for (const e of edges) linked.add(e.source).add(e.target)
    nodes = nodes.filter((n) => linked.has(n.id) || n.id === q.focus)
  }
  if (q.fold === 'people') {
    // Others' requests first: the filters above and the fold below are each a pass over the whole register.
    await nextTurn()
    const folded = foldPeople(nodes, edges, new Set([...(q.unfold ?? []), ...(q.focus ? [q.focus] : [])]), endsNow(graph, nodes, edges))
    return { graph, nodes: folded.nodes, edges: folded.edges, themes, ends: folded.ends }
  }
  return { graph, nodes, edges, themes, ends: endsNow(graph, nodes, edges) }
}

/** The ends of what selectView kept: every step keeps the order of what it keeps, so with nothing left out the graph's positions hold. */
function endsNow(graph: Graph, nodes: readonly NetNode[], edges: readonly NetEdge[]): Int32Array | undefined {
  return edges === graph.edges && nodes.length === graph.nodes.length ? graph.ends : carriedEnds(graph, nodes, edges)
}

/**
 * The ends of `edges` among `nodes` (as Graph.ends), carried over from the graph's: every step of
 * selectView keeps the graph's edges (the very objects) in their order, and its nodes by id. One
 * lookup per node instead of two per edge: looking up both ends of 900 000 links by id took
 * 0.3–0.9 s of the server's thread at 200 000 contacts. Undefined where the graph has no ends, or
 * an edge is not the graph's or has an end not among `nodes`.
 */
function carriedEnds(graph: Graph, nodes: readonly NetNode[], edges: readonly NetEdge[]): Int32Array | undefined {
  if (!graph.ends) return undefined
  const position = positions(nodes.map((n) => n.id))
  const now = Int32Array.from(graph.nodes, (n) => position.get(n.id) ?? -1)
  const ends = new Int32Array(2 * edges.length)
  let j = 0
  for (let k = 0; k < edges.length; k++) {
    while (j < graph.edges.length && graph.edges[j] !== edges[k]) j++
    if (j === graph.edges.length) return undefined
    const a = now[graph.ends[2 * j]!]!
    const b = now[graph.ends[2 * j + 1]!]!
    if (a < 0 || b < 0) return undefined
    ends[2 * k] = a
    ends[2 * k + 1] = b
    j++
  }
  return ends
}

/**
 * People folded into their organisations: a person working at an organisation in the view is
 * left out (with their edges) and counted on it (`people`), unless one of their organisations is
 * open (`open`: unfolded, or the focus) or they are the focus. People with no organisation in the
 * view stay as they are.
 */
export function foldPeople<N extends NetNode, E extends NetEdge>(
  nodes: N[],
  edges: E[],
  open: ReadonlySet<string>,
  ends?: Int32Array,
): { nodes: N[]; edges: E[]; ends?: Int32Array } {
  if (ends) return foldPeopleAt(nodes, edges, open, ends)
  const orgs = new Set(nodes.filter((n) => n.type === 'organisation').map((n) => n.id))
  const people = new Map<string, Set<string>>()
  const fold = new Set<string>()
  const stay = new Set<string>()
  for (const e of edges) {
    if (e.type !== 'affiliation' || !orgs.has(e.target)) continue
    const set = people.get(e.target) ?? new Set<string>()
    people.set(e.target, set.add(e.source))
    ;(open.has(e.target) ? stay : fold).add(e.source)
  }
  for (const id of stay) fold.delete(id)
  for (const id of open) fold.delete(id)
  return {
    nodes: nodes.filter((n) => !fold.has(n.id)).map((n) => (people.has(n.id) ? { ...n, people: people.get(n.id)!.size } : n)),
    edges: edges.filter((e) => !fold.has(e.source) && !fold.has(e.target)),
  }
}

/**
 * foldPeople by the edges' ends (positions among `nodes`, as Graph.ends), with those of what it
 * keeps: the whole register's 900 000 links were two lookups by id each, and most of the fold's
 * 0.7–0.9 s of the server's thread at 200 000 contacts.
 */
function foldPeopleAt<N extends NetNode, E extends NetEdge>(nodes: N[], edges: E[], open: ReadonlySet<string>, ends: Int32Array): { nodes: N[]; edges: E[]; ends: Int32Array } {
  const n = nodes.length
  const opened = new Uint8Array(n)
  nodes.forEach((node, i) => {
    if (open.has(node.id)) opened[i] = 1
  })
  // Per node: 1 folded into an organisation, 2 staying (an organisation of theirs is open, or they are).
  const fate = new Uint8Array(n)
  const people = new Map<number, Set<number>>()
  edges.forEach((e, k) => {
    const t = ends[2 * k + 1]!
    if (e.type !== 'affiliation' || nodes[t]!.type !== 'organisation') return
    const s = ends[2 * k]!
    let set = people.get(t)
    if (!set) people.set(t, (set = new Set()))
    set.add(s)
    if (opened[t] || opened[s]) fate[s] = 2
    else if (fate[s] === 0) fate[s] = 1
  })
  const at = new Int32Array(n)
  const kept: N[] = []
  nodes.forEach((node, i) => {
    if (fate[i] === 1) return
    at[i] = kept.length
    const count = people.get(i)?.size
    kept.push(count === undefined ? node : { ...node, people: count })
  })
  const keptEdges = new Array<E>(edges.length)
  const keptEnds = new Int32Array(ends.length)
  let m = 0
  for (let k = 0; k < edges.length; k++) {
    const s = ends[2 * k]!
    const t = ends[2 * k + 1]!
    if (fate[s] === 1 || fate[t] === 1) continue
    keptEdges[m] = edges[k]!
    keptEnds[2 * m] = at[s]!
    keptEnds[2 * m + 1] = at[t]!
    m++
  }
  keptEdges.length = m
  return { nodes: kept, edges: keptEdges, ends: keptEnds.slice(0, 2 * m) }
}

const ISOLATED_LIMIT = 200
const BRIDGE_EDGE_LIMIT = 100

/** Above this many nodes a JSON view without `cluster=` is clustered by community (`cluster=none` to refuse). */
export const CLUSTER_AUTO_LIMIT = 3000

export interface ViewOptions2 extends ViewOptions {
  /** Label of a cluster node. */
  clusterLabel?: (by: ClusterBy, value: string | null, memberType: string | null) => string
  /** How long to wait for a layout being computed (src/network/layout.ts LAYOUT_WAIT_MS). */
  layoutWaitMs?: number
  /** Overrides CLUSTER_AUTO_LIMIT (tests). */
  autoClusterLimit?: number
  /** Overrides LAYOUT_THRESHOLD: the network page lays out only a few hundred nodes in the browser. */
  layoutThreshold?: number
  /**
   * While a layout is computed, the places of the same view before the latest change
   * (`server_previous`): for the page, which sets the nodes added since itself. The API and the
   * files answer `pending` without positions then, as they always have.
   */
  previousPlaces?: boolean
  /**
   * The page's: when the view of the newest data is not ready within `staleAfterMs` (STALE_AFTER_MS),
   * the last view of the same query is answered meanwhile, `meta.stale` — only while no person's
   * protection, restriction, erasure or deletion changed since it was read (privacyState). The
   * whole register's view takes seconds to compute after every write; the page asks again.
   */
  staleWhileComputing?: boolean
  staleAfterMs?: number
}

/** How long the page waits for the view of the newest data before it is given the last one (staleWhileComputing). */
export const STALE_AFTER_MS = 500

/**
 * Recently computed views, by the version of what the graph reads (NAMED) and everything that
 * shapes them: a page that redraws with another colour or size, an export of what is on screen, a
 * second reader — all ask for a view that was just computed. A change to anything the graph reads
 * changes that version, so a stale view is never served; a person's e-mail, phone or notes
 * corrected does not, and the view is served as it was. A view whose layout was still pending is served until the layout is done
 * (not computed again for every reader meanwhile), then with the layout's places (keep); only if
 * the layout fails is it computed once more. Views are shared: read-only.
 */
const VIEW_CACHE_SIZE = 8
const viewCaches = new WeakMap<Executor, Map<string, { view: View; stale?: () => boolean; asCached?: View }>>()

/**
 * The last view computed of each query (by shapeKey), with the privacy state read before it: what
 * staleWhileComputing answers while a newer one is computed. At most VIEW_CACHE_SIZE queries.
 */
const lastViews = new WeakMap<Executor, Map<string, { version: bigint; privacy: string; view: View; asStale: View }>>()

/** Everything that shapes a view but the data version. */
function shapeKey(at: string, q: ViewQuery, opts: ViewOptions2): string {
  const labels = opts.clusterLabel ? opts.clusterLabel('community', '0', null) + opts.clusterLabel('kind', 'other', 'organisation') : ''
  const params = { ...q, at, types: viewTypes(q).sort() }
  return JSON.stringify([params, opts.audience ?? 'export', opts.anonymousLabel ?? '', labels, opts.listLimit ?? 20, opts.autoClusterLimit ?? null, opts.layoutThreshold ?? null, opts.previousPlaces === true, opts.staleWhileComputing === true])
}

/**
 * A view computed. `placed`: while its layout is still computed, the same view with the layout's
 * places once it is done (undefined if it never is): the whole register's view took 10 s of the
 * server's thread to compute again only to carry them.
 */
type Computed = { view: View; placed?: Promise<View | undefined>; privacy?: string }
const computing = new WeakMap<Executor, Map<string, Promise<Computed>>>()
/** The page's computations running, by shapeKey: at most one per query (staleWhileComputing). */
const busyShapes = new WeakMap<Executor, Map<string, Promise<Computed>>>()
/** When each computation began (performance.now()): a reader who comes later waits only the rest of STALE_AFTER_MS. */
const startedAt = new WeakMap<Promise<Computed>, number>()
let viewsComputed = 0
/** How many views this process has computed (not served from the cache or a shared computation): for tests. */
export const computedViews = (): number => viewsComputed

/** The whole view: selection, highlight flags, measures and their ranked lists, layout, clusters. */
export async function networkView(db: Executor, q: ViewQuery, opts: ViewOptions2 = {}): Promise<View> {
  const at = q.at ?? today()
  // The version of what the graph reads (NAMED): a person's e-mail or phone corrected leaves the view as it was.
  const version = String(await dataVersion(db, NAMED))
  const shape = shapeKey(at, q, opts)
  const key = `${version} ${shape}`
  let viewCache = viewCaches.get(db)
  if (!viewCache) viewCaches.set(db, (viewCache = new Map()))
  // A segment's members change with its definition and subscriptions, which the data version does not follow.
  if (q.segment) return (await computeView(db, { ...q, at }, opts)).view
  const hit = viewCache.get(key)
  viewCache.delete(key)
  if (hit && !hit.stale?.()) {
    viewCache.set(key, hit)
    // Made once: the same object for every reader (its JSON is written once, src/web/shared-json.ts).
    if (hit.view.meta.layout === 'server') hit.asCached ??= { ...hit.view, meta: { ...hit.view.meta, layout: 'server_cached' } }
    return hit.asCached ?? hit.view
  }
  // Readers who miss together share one computation: fifty first readers of the whole register
  // each computed it (about 1.3 GB apiece at the suite's scale 1; the server reached 6.5 GB).
  let flights = computing.get(db)
  if (!flights) computing.set(db, (flights = new Map()))
  let flight = flights.get(key)
  let busy = busyShapes.get(db)
  if (!busy) busyShapes.set(db, (busy = new Map()))
  if (!flight && opts.staleWhileComputing) {
    // One computation of a query at a time for the page: while one of an older state runs, the last
    // view is answered and nothing more started. A page asking every few seconds while someone
    // writes every second started one each time, each seconds of a core at the national size.
    const stale = busy.has(shape) ? await showableLast(db, shape, BigInt(version)) : undefined
    if (stale) return stale
    flight = flights.get(key)
  }
  if (!flight) {
    supersedeLayouts(db, version)
    // Shared, so not stopped when the first reader's client goes (src/db/client-gone.ts). Kept by
    // the computation itself: its readers may all have been given the last view meanwhile.
    const started: Promise<Computed> = outlivesRequest(() => computeView(db, { ...q, at }, opts))
      .then(
        (computed) => (keep(db, shape, computed), computed),
        (err: unknown) => {
          // A query that fails now (its focus or plan deleted) has no last view: its next reader
          // is given the error, not the last view again and a computation every few seconds.
          lastViews.get(db)?.delete(shape)
          throw err
        },
      )
      .finally(() => {
        flights.delete(key)
        if (busy.get(shape) === started) busy.delete(shape)
      })
    flight = started
    startedAt.set(flight, performance.now())
    flights.set(key, flight)
    if (opts.staleWhileComputing) busy.set(shape, flight)
    viewsComputed++
  }
  if (opts.staleWhileComputing) {
    const last = lastViews.get(db)?.get(shape)
    if (last && last.version <= BigInt(version)) {
      const waitMs = Math.max(0, (opts.staleAfterMs ?? STALE_AFTER_MS) - (performance.now() - (startedAt.get(flight) ?? performance.now())))
      const ready = await Promise.race([flight.then(() => true, () => true), new Promise<false>((r) => setTimeout(r, waitMs, false))])
      // Of the same data (its cache entry pushed out, or its layout failed): nothing in it is out of date.
      if (!ready && last.version === BigInt(version)) return last.view
      const stale = ready ? undefined : await showableLast(db, shape, BigInt(version))
      if (stale) return stale
    }
  }
  return (await flight).view
}

/** The last view of a query, marked stale, if it is of an older state and nobody's privacy has changed since it was read. */
async function showableLast(db: Executor, shape: string, version: bigint): Promise<View | undefined> {
  const last = lastViews.get(db)?.get(shape)
  if (!last || last.version >= version) return undefined
  return (await privacyState(db)) === last.privacy ? last.asStale : undefined
}

/**
 * A view just computed, kept for its readers: in the cache of the data version it was read at (a
 * write may have come between the version its first reader read and the view's own), and as its
 * query's last one.
 */
function keep(db: Executor, shape: string, { view, placed, privacy }: Computed): void {
  if (privacy !== undefined) keepLast(db, shape, view, privacy)
  const key = `${view.meta.data_version} ${shape}`
  const viewCache = viewCaches.get(db)!
  // Until its layout is done; then the same view with the places, or — no layout after all — the
  // next reader computes it again.
  const entry: { view: View; stale?: () => boolean; asCached?: View } = { view }
  if (placed) {
    let failed = false
    entry.stale = () => failed
    void placed.then(
      (withPlaces) => {
        if (!withPlaces) return void (failed = true)
        entry.view = withPlaces
        entry.stale = undefined
        if (privacy !== undefined) keepLast(db, shape, withPlaces, privacy)
      },
      () => (failed = true),
    )
  }
  viewCache.set(key, entry)
  while (viewCache.size > VIEW_CACHE_SIZE) viewCache.delete(viewCache.keys().next().value!)
}

/** Keeps `view` as its query's last one, unless one of a newer data version is kept. */
function keepLast(db: Executor, shape: string, view: View, privacy: string): void {
  let last = lastViews.get(db)
  if (!last) lastViews.set(db, (last = new Map()))
  const version = BigInt(view.meta.data_version)
  const kept = last.get(shape)
  if (kept && kept.version > version) return
  last.delete(shape)
  last.set(shape, { version, privacy, view, asStale: { ...view, meta: { ...view.meta, stale: true } } })
  while (last.size > VIEW_CACHE_SIZE) last.delete(last.keys().next().value!)
}

async function computeView(db: Executor, q: ViewQuery, opts: ViewOptions2): Promise<Computed> {
  // Read before the view: a change to someone's protection in between makes the two differ (privacyState).
  const privacy = opts.staleWhileComputing ? await privacyState(db) : undefined
  const { graph, nodes, edges, themes, ends } = await selectView(db, q, opts)
  // Others' requests between the steps (the graph's parts kept, its measures kept: no query or worker to wait for).
  await nextTurn()
  const indices = ends ? indicesOf(nodes.length, edges, ends) : edgeIndices({ nodes, edges })
  // selectView keeps no edge without both its ends; below, edges[k] is read at indices' k.
  if (indices.source.length !== edges.length) throw new Error('a view edge has an end outside the view')
  const m = await measureOffThread({ nodes, edges }, undefined, indices)
  await nextTurn()
  const round = (x: number) => Math.round(x * 1e6) / 1e6
  const highlighting = q.highlight.length > 0
  const outNodes: NodeOut[] = nodes.map((n, i) => {
    const o: NodeOut = { ...n, degree: m.degree[i]!, betweenness: round(m.betweenness[i]!), community: m.community[i]! }
    if (highlighting) o.match = matches(n, q.highlight, themes)
    return o
  })
  // An edge as shown: made only for the edges shown one by one. In a clustered view most edges are
  // counted into their groups' aggregates, and a copy of each was most of the view's garbage.
  const edgeOut = (k: number): EdgeOut => {
    const o: EdgeOut = { ...edges[k]! }
    const a = outNodes[indices.source[k]!]!
    const b = outNodes[indices.target[k]!]!
    if (highlighting) o.match = Boolean(a.match && b.match)
    if (a.community !== b.community) o.bridge = true
    return o
  }
  const lists = measureLists(outNodes, edges, m, opts.listLimit ?? 20, indices)

  const by: ClusterBy | null =
    q.cluster === undefined || q.cluster === 'none' ? null
    : q.cluster === 'auto' ? (outNodes.length > (opts.autoClusterLimit ?? CLUSTER_AUTO_LIMIT) ? 'community' : null)
    : q.cluster

  /**
   * The view as shown, its nodes at `places` (the layout's, or none): the first time in place, after
   * that on copies, as a view already answered is shared and read-only.
   */
  let answered = false
  const shownAt = (places: Positions | null, layout: ViewMeta['layout']): View => {
    let placedNodes = outNodes
    if (places && !answered) {
      for (const n of outNodes) {
        const p = places[n.id]
        if (p) [n.x, n.y] = p
      }
    } else if (places) {
      placedNodes = outNodes.map((n) => {
        const p = places[n.id]
        return p ? { ...n, x: p[0]!, y: p[1]! } : n
      })
    }
    answered = true
    const shown: { nodes: ClusteredNode[]; edges: ClusteredEdge[] } = by
      ? clusterView(placedNodes, edges, by, new Set(q.expand ?? []), opts.clusterLabel ?? defaultClusterLabel, indices, edgeOut)
      : { nodes: placedNodes, edges: edges.map((_, k) => edgeOut(k)) }
    return { nodes: shown.nodes, edges: shown.edges, meta: { ...meta, layout }, measures }
  }

  const meta: ViewMeta = {
    at: graph.at,
    types: viewTypes(q),
    node_count: outNodes.length,
    edge_count: edges.length,
    community_count: m.communityCount,
    betweenness_sampled: m.sampled,
    focus: q.focus ?? null,
    depth: q.focus ? (q.depth ?? 1) : null,
    layout: 'client',
    cluster: by,
    expanded: by ? [...new Set(q.expand ?? [])] : [],
    data_version: graph.version,
  }
  const measures: View['measures'] = {
    ...lists,
    isolated: lists.isolated.slice(0, ISOLATED_LIMIT),
    isolated_count: lists.isolated.length,
    bridge_edges: lists.bridge_edges.slice(0, BRIDGE_EDGE_LIMIT),
    bridge_edge_count: lists.bridge_edges.length,
  }

  if (!(q.layout === 'server' || (q.layout !== 'none' && outNodes.length > (opts.layoutThreshold ?? LAYOUT_THRESHOLD)))) {
    return { view: shownAt(null, 'client'), privacy }
  }
  // All groups closed: a handful of cluster nodes the page can place itself; do not wait.
  const waitMs = by && !(q.expand ?? []).length ? 0 : opts.layoutWaitMs
  const { positions, state, done } = await cachedLayout(db, graph, viewTypes(q), waitMs, { previousPlaces: opts.previousPlaces === true })
  const layout = state === 'cached' ? 'server_cached' : state === 'computed' ? 'server' : state === 'previous' ? 'server_previous' : 'pending'
  const view = shownAt(positions, layout)
  // Nothing is lost if this fails: the view is then computed again by its next reader (keep).
  const placed = done?.then((p) => (p ? shownAt(p as Positions, 'server') : undefined)).catch(() => undefined)
  return { view, placed, privacy }
}

function defaultClusterLabel(by: ClusterBy, value: string | null, memberType: string | null): string {
  return [by, memberType, value].filter((x) => x !== null).join(' ')
}

export type ChangeNode = NodeOut & { change?: 'added' | 'removed' }
export type ChangeEdge = EdgeOut & { change?: 'gained' | 'lost'; weight_before?: number }

export interface Changes {
  from: string
  to: string
  /** Edge ids valid on `to` and not on `from`. */
  gained: string[]
  /** Edge ids valid on `from` and not on `to`. */
  lost: string[]
  /** The view on `to` with its measures, plus what it no longer has: nodes and edges marked. */
  nodes: ChangeNode[]
  edges: ChangeEdge[]
  /** Of the `to` view. */
  meta: ViewMeta
  measures: View['measures']
}

/**
 * What changed between two days in the same view: edges gained and lost (by their stable ids),
 * and nodes that appeared or went (alliances and projects by their periods, and — with a focus —
 * the ego network's reach). Measures are those of the `to` view; a lost node has 0 for each.
 */
export async function networkChanges(db: Executor, q: ViewParams & { from: string; to: string }, opts: ViewOptions = {}): Promise<Changes> {
  const before = await selectView(db, { ...q, at: q.from }, opts)
  const after = await networkView(db, { ...q, at: q.to, cluster: 'none', layout: 'none' }, opts)
  const afterNodes = after.nodes as NodeOut[]
  const afterEdges = after.edges as EdgeOut[]
  const beforeNodeIds = new Set(before.nodes.map((n) => n.id))
  const beforeEdgeIds = new Set(before.edges.map((e) => e.id))
  const afterNodeIds = new Set(afterNodes.map((n) => n.id))
  const afterEdgeIds = new Set(afterEdges.map((e) => e.id))

  const nodes: ChangeNode[] = afterNodes.map((n) => (beforeNodeIds.has(n.id) ? n : { ...n, change: 'added' as const }))
  for (const n of before.nodes) {
    if (!afterNodeIds.has(n.id)) nodes.push({ ...n, degree: 0, betweenness: 0, community: -1, change: 'removed' })
  }
  const beforeWeight = new Map(before.edges.map((e) => [e.id, e.weight]))
  const edges: ChangeEdge[] = afterEdges.map((e) => {
    if (!beforeEdgeIds.has(e.id)) return { ...e, change: 'gained' as const }
    // Co-participation keeps its id while activities add to it.
    return beforeWeight.get(e.id) === e.weight ? e : { ...e, weight_before: beforeWeight.get(e.id)! }
  })
  for (const e of before.edges) if (!afterEdgeIds.has(e.id)) edges.push({ ...e, change: 'lost' })
  return {
    from: q.from,
    to: q.to,
    gained: afterEdges.filter((e) => !beforeEdgeIds.has(e.id)).map((e) => e.id),
    lost: before.edges.filter((e) => !afterEdgeIds.has(e.id)).map((e) => e.id),
    nodes,
    edges,
    meta: after.meta,
    measures: after.measures,
  }
}
