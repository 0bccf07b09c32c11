import type { ClusterBy } from './network.schema.ts'
import type { EdgeOut, NodeOut } from './view.ts'
import type { NetEdge } from './graph.service.ts'
import type { EdgeIndices } from './measures.ts'

/**
 * Clustering for views too large to read: every group of nodes becomes one node
 * (`type: "cluster"`, `size` = how many it stands for), edges between groups are summed into one
 * `aggregate` edge per pair of groups, edges inside a group are counted on its node. `expand`
 * opens groups again: their members come back as themselves, with their own edges to each other
 * and to other open groups, and one aggregate edge to each closed group they touch.
 *
 * Groups (ids are stable for the same view):
 *   community → cluster:community:<n>            (Louvain community n of the view; nodes without
 *               links in cluster:community:isolated, the smallest communities past
 *               MAX_COMMUNITY_GROUPS in cluster:community:small)
 *   kind      → cluster:kind:<type>:<kind>       organisations and bodies by kind; other types by type (cluster:kind:<type>)
 *   county    → cluster:county:<type>:<county>   organisations and contacts by county ('-' none); other types by type
 *
 * A cluster node's `degree` counts its distinct neighbours in the clustered view; its
 * `betweenness` is the highest of its members'; its `community` the one most members are in;
 * `x`, `y` the mean of its members' positions when they have them; with highlighting, `match`
 * when any member matches.
 */

export interface ClusterNode extends Omit<NodeOut, 'type'> {
  type: 'cluster'
  size: number
  by: ClusterBy
  /** The value grouped on (community number, kind, county; null: none). */
  value: string | null
  /** The node type of the members when the group is of one type. */
  member_type: string | null
  member_types: Record<string, number>
  internal_edges: number
}

export interface AggregateEdge {
  id: string
  source: string
  target: string
  type: 'aggregate'
  weight: number
  /** Underlying edges, per edge type. */
  types: Record<string, number>
  count: number
}

export type ClusteredNode = NodeOut | ClusterNode
export type ClusteredEdge = EdgeOut | AggregateEdge

/** Groups opened at once beyond this many members would make the view as large as unclustered. */
export const EXPAND_LIMIT = 2000
/** At most this many community groups: the smallest beyond it are one group. */
export const MAX_COMMUNITY_GROUPS = 300
export const ISOLATED_GROUP = 'cluster:community:isolated'
export const SMALL_GROUPS = 'cluster:community:small'

/**
 * Louvain makes every node without links a community of its own (49 212 of them after a large
 * import): those are one group, and the smallest communities past MAX_COMMUNITY_GROUPS another,
 * so a clustered view stays a few hundred nodes whatever the register holds.
 */
function boundCommunities(groups: Map<string, { value: string | null; memberType: string | null; members: NodeOut[] }>): void {
  const ranked = [...groups].filter(([id]) => id !== ISOLATED_GROUP).sort((a, b) => b[1].members.length - a[1].members.length || (a[0] < b[0] ? -1 : 1))
  const small = ranked.slice(MAX_COMMUNITY_GROUPS - 2)
  if (small.length < 2) return
  const merged = { value: 'small', memberType: null, members: small.flatMap(([, g]) => g.members) }
  for (const [id] of small) groups.delete(id)
  groups.set(SMALL_GROUPS, merged)
}

export function groupOf(n: NodeOut, by: ClusterBy): { id: string; value: string | null; memberType: string | null } {
  switch (by) {
    case 'community':
      if (n.degree === 0) return { id: ISOLATED_GROUP, value: 'isolated', memberType: null }
      return { id: `cluster:community:${n.community}`, value: String(n.community), memberType: null }
    case 'kind':
      if (n.type === 'organisation' || n.type === 'body') return { id: `cluster:kind:${n.type}:${n.kind ?? '-'}`, value: n.kind ?? null, memberType: n.type }
      return { id: `cluster:kind:${n.type}`, value: null, memberType: n.type }
    case 'county':
      if (n.type === 'organisation' || n.type === 'contact') return { id: `cluster:county:${n.type}:${n.county ?? '-'}`, value: n.county ?? null, memberType: n.type }
      return { id: `cluster:county:${n.type}`, value: null, memberType: n.type }
  }
}

export function clusterView(
  nodes: readonly NodeOut[],
  edges: readonly NetEdge[],
  by: ClusterBy,
  expand: ReadonlySet<string>,
  label: (by: ClusterBy, value: string | null, memberType: string | null) => string,
  /** The edges' ends by node position (edges[k] at k), when known: no lookup by id per edge. */
  indices?: Pick<EdgeIndices, 'source' | 'target'>,
  /** edges[k] as shown, for an edge between two nodes shown one by one (by default the edge itself). */
  edgeOut: (k: number) => EdgeOut = (k) => edges[k]!,
): { nodes: ClusteredNode[]; edges: ClusteredEdge[] } {
  const groups = new Map<string, { value: string | null; memberType: string | null; members: NodeOut[] }>()
  for (const n of nodes) {
    const g = groupOf(n, by)
    const group = groups.get(g.id) ?? { value: g.value, memberType: g.memberType, members: [] }
    group.members.push(n)
    groups.set(g.id, group)
  }
  if (by === 'community') boundCommunities(groups)
  // Where each node ends up: itself (open group) or its group's node. A group too large to
  // draw node by node stays closed even when asked to open.
  const place = new Map<string, string>()
  const open = new Set<string>()
  for (const [id, g] of groups) {
    const isOpen = expand.has(id) && g.members.length <= EXPAND_LIMIT
    if (isOpen) open.add(id)
    for (const m of g.members) place.set(m.id, isOpen ? m.id : id)
  }

  const outEdges: ClusteredEdge[] = []
  // By one end, then the other: the place strings are looked up as they are, where an id built per
  // link (`agg:a|b`) made a fresh string to hash for each of the whole register's 180 000 links.
  const aggregates = new Map<string, Map<string, AggregateEdge>>()
  // The aggregates in the order first met.
  const aggregated: AggregateEdge[] = []
  const internal = new Map<string, number>()
  const placeAt = indices ? nodes.map((n) => place.get(n.id)!) : undefined
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!
    const s = placeAt ? placeAt[indices!.source[k]!]! : place.get(e.source)!
    const t = placeAt ? placeAt[indices!.target[k]!]! : place.get(e.target)!
    if (s === e.source && t === e.target) {
      outEdges.push(edgeOut(k))
      continue
    }
    if (s === t) {
      internal.set(s, (internal.get(s) ?? 0) + 1)
      continue
    }
    const [a, b] = s < t ? [s, t] : [t, s]
    let from = aggregates.get(a)
    if (!from) aggregates.set(a, (from = new Map()))
    let agg = from.get(b)
    if (!agg) {
      from.set(b, (agg = { id: `agg:${a}|${b}`, source: a, target: b, type: 'aggregate' as const, weight: 0, types: {}, count: 0 }))
      aggregated.push(agg)
    }
    agg.weight += e.weight
    agg.count++
    agg.types[e.type] = (agg.types[e.type] ?? 0) + 1
  }
  // One by one: spread into push, a large open group overflows the call stack.
  for (const agg of aggregated) outEdges.push(agg)

  // Distinct neighbours per cluster node.
  const neighbours = new Map<string, Set<string>>()
  for (const e of aggregated) {
    for (const [x, y] of [[e.source, e.target], [e.target, e.source]] as const) {
      if (!x.startsWith('cluster:')) continue
      const set = neighbours.get(x) ?? new Set<string>()
      set.add(y)
      neighbours.set(x, set)
    }
  }

  const outNodes: ClusteredNode[] = []
  for (const [id, g] of groups) {
    if (open.has(id)) {
      for (const member of g.members) outNodes.push(member)
      continue
    }
    const member_types: Record<string, number> = {}
    const communities = new Map<number, number>()
    let betweenness = 0
    let x = 0
    let y = 0
    let placed = 0
    for (const m of g.members) {
      member_types[m.type] = (member_types[m.type] ?? 0) + 1
      communities.set(m.community, (communities.get(m.community) ?? 0) + 1)
      betweenness = Math.max(betweenness, m.betweenness)
      if (m.x !== undefined && m.y !== undefined) {
        x += m.x
        y += m.y
        placed++
      }
    }
    const community = [...communities].sort((p, q) => q[1] - p[1] || p[0] - q[0])[0]![0]
    const node: ClusterNode = {
      id,
      type: 'cluster',
      label: label(by, g.value, g.memberType),
      size: g.members.length,
      by,
      value: g.value,
      member_type: g.memberType,
      member_types,
      internal_edges: internal.get(id) ?? 0,
      degree: neighbours.get(id)?.size ?? 0,
      betweenness,
      community,
    }
    // Highlighting: a group lights up when one of its members does.
    if (g.members.some((m) => m.match !== undefined)) node.match = g.members.some((m) => m.match === true)
    if (placed > 0) {
      node.x = Math.round((x / placed) * 10) / 10
      node.y = Math.round((y / placed) * 10) / 10
    }
    outNodes.push(node)
  }
  return { nodes: outNodes, edges: outEdges }
}
