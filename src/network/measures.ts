/**
 * Measures of one view, on the simple undirected graph under it (two records linked twice — a
 * funding and a partnership, two seats — are neighbours once; direction is ignored):
 *
 * - degree: the number of distinct neighbours;
 * - betweenness: Brandes, unweighted shortest paths, normalised as networkx and Gephi do for
 *   undirected graphs: the share of pairs of other nodes whose shortest paths run through the
 *   node, 2·B / ((n−1)(n−2)). Exact up to EXACT_BETWEENNESS_LIMIT nodes; above, estimated from
 *   a fixed, seeded sample of source nodes (same view, same numbers);
 * - community: Louvain on the edge weights (co-participation counts), seeded so that the same
 *   view gives the same communities; numbered 0, 1, … from the largest community down.
 */

export const EXACT_BETWEENNESS_LIMIT = 3000
export const BETWEENNESS_SAMPLES = 600
/**
 * At most about this many steps (nodes plus neighbour entries visited, once per sampled source)
 * for a sampled betweenness: about 1.5 s on the benchmark machine. 600 sources over the whole
 * register at the suite's scale 1 (234 000 nodes, 880 000 links) took 18.5 s of the view's 36 s;
 * a view that large samples fewer sources (never fewer than MIN_BETWEENNESS_SAMPLES), one of
 * 10 000 nodes still all 600 (bench/README.md, Network at national scale).
 */
export const BETWEENNESS_WORK = 100_000_000
export const MIN_BETWEENNESS_SAMPLES = 50

export interface MeasureInput {
  nodes: readonly { id: string }[]
  edges: readonly { source: string; target: string; weight?: number }[]
}

export interface Measures {
  degree: Int32Array
  betweenness: Float64Array
  community: Int32Array
  communityCount: number
  /** Betweenness estimated from a sample of sources rather than computed exactly. */
  sampled: boolean
  /** Neighbour lists (compressed): neighbours of i are adj[offsets[i]] … adj[offsets[i+1]-1]. */
  offsets: Int32Array
  adj: Int32Array
}

/** A small, seeded random number generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A view's links as node positions: what measuring needs of a view (and a worker is sent, src/network/measures-off-thread.ts). */
export interface EdgeIndices {
  n: number
  source: Int32Array
  target: Int32Array
  weight: Float64Array
}

/**
 * The view's links by node position; a link to a node outside the view is left out. One lookup per
 * end and one pass: the whole register's view (50 000 nodes, 180 000 links) spent 0.3–0.4 s of the
 * server's one thread here when each link was looked up twice and the kept links copied three times.
 */
export function edgeIndices(input: MeasureInput): EdgeIndices {
  const index = new Map<string, number>()
  input.nodes.forEach((node, i) => index.set(node.id, i))
  const m = input.edges.length
  let source = new Int32Array(m)
  let target = new Int32Array(m)
  let weight = new Float64Array(m)
  let k = 0
  for (let j = 0; j < m; j++) {
    const e = input.edges[j]!
    const a = index.get(e.source)
    if (a === undefined) continue
    const b = index.get(e.target)
    if (b === undefined) continue
    source[k] = a
    target[k] = b
    weight[k++] = e.weight ?? 1
  }
  if (k < m) {
    // A worker is sent these buffers whole: no room for the links left out.
    source = source.slice(0, k)
    target = target.slice(0, k)
    weight = weight.slice(0, k)
  }
  return { n: input.nodes.length, source, target, weight }
}

/** EdgeIndices from positions already known (Graph.ends: edges[k] joins ends[2k] and ends[2k+1]). */
export function indicesOf(n: number, edges: readonly { weight?: number }[], ends: Int32Array): EdgeIndices {
  const m = edges.length
  const source = new Int32Array(m)
  const target = new Int32Array(m)
  const weight = new Float64Array(m)
  for (let k = 0; k < m; k++) {
    source[k] = ends[2 * k]!
    target[k] = ends[2 * k + 1]!
    weight[k] = edges[k]!.weight ?? 1
  }
  return { n, source, target, weight }
}

/**
 * The simple undirected graph of the view as compressed neighbour lists: the neighbours of i are
 * adj[offsets[i]] … adj[offsets[i+1]-1], weight[p] the summed weight of all links between i and
 * adj[p] (both directions hold it). Loops are left out.
 */
export interface SimpleGraph {
  n: number
  offsets: Int32Array
  adj: Int32Array
  weight: Float64Array
}

/**
 * Built in two linear passes over typed arrays: every link into both ends' lists, then each list
 * merged by neighbour. A Map of pair keys did the same at a cost of seconds and a heap of garbage
 * for the whole register (951 000 links at the suite's scale 1; bench/README.md).
 */
export function simpleGraph(input: MeasureInput | EdgeIndices): SimpleGraph {
  const { n, source, target, weight } = 'nodes' in input ? edgeIndices(input) : input
  const raw = new Int32Array(n + 1)
  for (let k = 0; k < source.length; k++) {
    if (source[k] === target[k]) continue
    raw[source[k]! + 1]!++
    raw[target[k]! + 1]!++
  }
  for (let i = 0; i < n; i++) raw[i + 1]! += raw[i]!
  const fill = raw.slice(0, n)
  const rawAdj = new Int32Array(raw[n]!)
  const rawWeight = new Float64Array(raw[n]!)
  for (let k = 0; k < source.length; k++) {
    const a = source[k]!
    const b = target[k]!
    if (a === b) continue
    rawAdj[fill[a]!] = b
    rawWeight[fill[a]!++] = weight[k]!
    rawAdj[fill[b]!] = a
    rawWeight[fill[b]!++] = weight[k]!
  }
  return mergeRows(n, raw, rawAdj, rawWeight, null, null)
}

/**
 * Neighbour lists with each neighbour once, weights summed. Row r gathers the raw rows of the
 * nodes `members` lists for it (one node each, or a community's when aggregating); `labels` maps a
 * raw neighbour to its row (none: the same number), and entries pointing back into the row are left out.
 */
function mergeRows(
  rows: number,
  rawOffsets: Int32Array,
  rawAdj: Int32Array,
  rawWeight: Float64Array,
  labels: Int32Array | null,
  members: { offsets: Int32Array; nodes: Int32Array } | null,
): SimpleGraph {
  const offsets = new Int32Array(rows + 1)
  const adj = new Int32Array(rawAdj.length)
  const weight = new Float64Array(rawAdj.length)
  // at[j]: where neighbour j's entry is in the row being merged (valid when ≥ the row's start).
  const at = new Int32Array(rows).fill(-1)
  let out = 0
  for (let r = 0; r < rows; r++) {
    const start = out
    const from = members ? members.offsets[r]! : r
    const to = members ? members.offsets[r + 1]! : r + 1
    for (let m = from; m < to; m++) {
      const i = members ? members.nodes[m]! : m
      for (let p = rawOffsets[i]!, end = rawOffsets[i + 1]!; p < end; p++) {
        const j = labels ? labels[rawAdj[p]!]! : rawAdj[p]!
        if (j === r) continue
        if (at[j]! >= start) weight[at[j]!]! += rawWeight[p]!
        else {
          at[j] = out
          adj[out] = j
          weight[out++] = rawWeight[p]!
        }
      }
    }
    offsets[r + 1] = out
  }
  return { n: rows, offsets, adj: adj.slice(0, out), weight: weight.slice(0, out) }
}

/** Brandes' betweenness from the given sources, not yet normalised. */
function brandes(n: number, offsets: Int32Array, adj: Int32Array, sources: Int32Array): Float64Array {
  const cb = new Float64Array(n)
  const sigma = new Float64Array(n)
  const dist = new Int32Array(n)
  const delta = new Float64Array(n)
  const stack = new Int32Array(n)
  const queue = new Int32Array(n)
  for (let k = 0; k < sources.length; k++) {
    const s = sources[k]!
    sigma.fill(0)
    dist.fill(-1)
    delta.fill(0)
    sigma[s] = 1
    dist[s] = 0
    let head = 0
    let tail = 0
    let top = 0
    queue[tail++] = s
    while (head < tail) {
      const v = queue[head++]!
      stack[top++] = v
      const dv = dist[v]!
      for (let p = offsets[v]!, end = offsets[v + 1]!; p < end; p++) {
        const w = adj[p]!
        if (dist[w]! < 0) {
          dist[w] = dv + 1
          queue[tail++] = w
        }
        if (dist[w] === dv + 1) sigma[w]! += sigma[v]!
      }
    }
    // Predecessors are the neighbours one step closer: no lists needed.
    while (top > 0) {
      const w = stack[--top]!
      const dw = dist[w]!
      const coeff = (1 + delta[w]!) / sigma[w]!
      for (let p = offsets[w]!, end = offsets[w + 1]!; p < end; p++) {
        const v = adj[p]!
        if (dist[v] === dw - 1) delta[v]! += sigma[v]! * coeff
      }
      if (w !== s) cb[w]! += delta[w]!
    }
  }
  return cb
}

/** The sources betweenness is counted from: a fixed, seeded sample for a large view, else every node. */
export function betweennessSources(n: number, adj: Int32Array, opts: { exactLimit?: number; samples?: number; work?: number } = {}): { sources: Int32Array; sampled: boolean } {
  const exactLimit = opts.exactLimit ?? EXACT_BETWEENNESS_LIMIT
  const affordable = Math.floor((opts.work ?? BETWEENNESS_WORK) / (n + adj.length))
  const samples = Math.min(opts.samples ?? BETWEENNESS_SAMPLES, Math.max(MIN_BETWEENNESS_SAMPLES, affordable))
  if (n > exactLimit && samples < n) {
    // A fixed partial Fisher–Yates shuffle: the same view samples the same sources.
    const rng = seededRandom(n * 7919 + adj.length)
    const all = Int32Array.from({ length: n }, (_, i) => i)
    for (let i = 0; i < samples; i++) {
      const j = i + Math.floor(rng() * (n - i))
      const t = all[i]!
      all[i] = all[j]!
      all[j] = t
    }
    return { sources: all.slice(0, samples), sampled: true }
  }
  return { sources: Int32Array.from({ length: n }, (_, i) => i), sampled: false }
}

/**
 * Brandes from one half (0: the first, 1: the rest) of the sources, not yet normalised. The two
 * halves are counted apart and added by finishBetweenness, so a large view's halves can run in two
 * threads (src/network/measures-off-thread.ts) with the same numbers as one after the other here.
 */
export function betweennessHalf(n: number, offsets: Int32Array, adj: Int32Array, sources: Int32Array, half: 0 | 1): Float64Array {
  const middle = Math.ceil(sources.length / 2)
  return brandes(n, offsets, adj, half === 0 ? sources.subarray(0, middle) : sources.subarray(middle))
}

/** The halves added and normalised (see above): each unordered pair is counted from both ends, a sample scaled up. */
export function finishBetweenness(n: number, first: Float64Array, rest: Float64Array, sourceCount: number): Float64Array {
  const scale = (n <= 2 ? 0 : 1 / ((n - 1) * (n - 2))) * (n / Math.max(sourceCount, 1))
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) values[i] = (first[i]! + rest[i]!) * scale
  return values
}

/** Normalised betweenness (see above), exact or from a seeded sample of sources. */
export function betweenness(n: number, offsets: Int32Array, adj: Int32Array, opts: { exactLimit?: number; samples?: number; work?: number } = {}): { values: Float64Array; sampled: boolean; sources: number } {
  const { sources, sampled } = betweennessSources(n, adj, opts)
  const values = finishBetweenness(n, betweennessHalf(n, offsets, adj, sources, 0), betweennessHalf(n, offsets, adj, sources, 1), sources.length)
  return { values, sampled, sources: sources.length }
}

/**
 * Louvain communities (Blondel et al. 2008), seeded; numbered from the largest (ties: the one
 * met first). Run on the neighbour lists directly: a graphology graph of the whole register took
 * 4 s to build before Louvain's own half second (bench/README.md).
 *
 * Each level moves nodes, in a seeded random order, to the neighbouring community with the best
 * modularity gain (resolution 1) — a node that moves puts its neighbours in other communities
 * back in the queue, until none would move — and then merges each community into one node. It
 * stops when a level moves nothing.
 */
export function communities(n: number, graph: Pick<SimpleGraph, 'offsets' | 'adj' | 'weight'>, seed = 1): { community: Int32Array; count: number } {
  const community = Int32Array.from({ length: n }, (_, i) => i)
  if (n === 0) return { community, count: 0 }
  const rng = seededRandom(seed)
  let g: SimpleGraph = { n, ...graph }
  // strength[i]: the weight at node i; a merged node's is its members' (the links inside it counted
  // from both ends), so that the total, 2m, stays the same on every level.
  let strength = new Float64Array(n)
  for (let i = 0; i < n; i++) for (let p = g.offsets[i]!; p < g.offsets[i + 1]!; p++) strength[i]! += g.weight[p]!
  let twoM = 0
  for (let i = 0; i < n; i++) twoM += strength[i]!
  if (twoM === 0) return renumbered(community)
  for (;;) {
    const local = moveNodes(g, strength, twoM, rng)
    const { labels, count } = compact(local)
    if (count === g.n) break
    for (let i = 0; i < n; i++) community[i] = labels[community[i]!]!
    // Merge: a node per community, links between communities summed (those inside need not be kept:
    // a node's own community's gain does not depend on them).
    const members = { offsets: new Int32Array(count + 1), nodes: new Int32Array(g.n) }
    for (let v = 0; v < g.n; v++) members.offsets[labels[v]! + 1]!++
    for (let c = 0; c < count; c++) members.offsets[c + 1]! += members.offsets[c]!
    const fill = members.offsets.slice(0, count)
    for (let v = 0; v < g.n; v++) members.nodes[fill[labels[v]!]!++] = v
    const nextStrength = new Float64Array(count)
    for (let v = 0; v < g.n; v++) nextStrength[labels[v]!]! += strength[v]!
    g = mergeRows(count, g.offsets, g.adj, g.weight, labels, members)
    strength = nextStrength
  }
  return renumbered(community)
}

/** One level's local moves: each node's community (numbered by node), until no node would move. */
function moveNodes(g: SimpleGraph, strength: Float64Array, twoM: number, rng: () => number): Int32Array {
  const { n, offsets, adj, weight } = g
  const community = Int32Array.from({ length: n }, (_, i) => i)
  const total = Float64Array.from(strength)
  // The queue: every node once, in a seeded random order; a node is queued at most once at a time.
  const queue = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = queue[i]!
    queue[i] = queue[j]!
    queue[j] = t
  }
  const queued = new Uint8Array(n).fill(1)
  let head = 0
  let size = n
  // Weight from the node being moved to each neighbouring community; `seen` marks which are set.
  const toCommunity = new Float64Array(n)
  const seen = new Int32Array(n)
  const touched = new Int32Array(n)
  let turn = 0
  while (size > 0) {
    const i = queue[head]!
    head = (head + 1) % n
    size--
    queued[i] = 0
    const own = community[i]!
    let count = 0
    turn++
    for (let p = offsets[i]!, end = offsets[i + 1]!; p < end; p++) {
      const c = community[adj[p]!]!
      if (seen[c] !== turn) {
        seen[c] = turn
        toCommunity[c] = 0
        touched[count++] = c
      }
      toCommunity[c]! += weight[p]!
    }
    const k = strength[i]!
    total[own]! -= k
    let best = own
    let bestGain = (seen[own] === turn ? toCommunity[own]! : 0) - (total[own]! * k) / twoM
    for (let t = 0; t < count; t++) {
      const c = touched[t]!
      const gain = toCommunity[c]! - (total[c]! * k) / twoM
      // Strictly better, by more than rounding at the scale of the weights: ties keep the node where it is.
      if (gain > bestGain + 1e-12 * k) {
        best = c
        bestGain = gain
      }
    }
    total[best]! += k
    if (best === own) continue
    community[i] = best
    for (let p = offsets[i]!, end = offsets[i + 1]!; p < end; p++) {
      const j = adj[p]!
      if (queued[j] || community[j] === best) continue
      queued[j] = 1
      queue[(head + size++) % n] = j
    }
  }
  return community
}

/** Community labels made 0 … count−1, in the order first met. */
function compact(labels: Int32Array): { labels: Int32Array; count: number } {
  const map = new Int32Array(labels.length).fill(-1)
  const out = new Int32Array(labels.length)
  let count = 0
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!
    if (map[c] === -1) map[c] = count++
    out[i] = map[c]!
  }
  return { labels: out, count }
}

/** Numbered from the largest community (ties: the one met first). */
function renumbered(labels: Int32Array): { community: Int32Array; count: number } {
  const { labels: compacted, count } = compact(labels)
  const size = new Int32Array(count)
  for (let i = 0; i < compacted.length; i++) size[compacted[i]!]!++
  // compact() numbers in the order met, so sorting by size and then label keeps "first met" for ties.
  const order = Int32Array.from({ length: count }, (_, c) => c).sort((a, b) => size[b]! - size[a]! || a - b)
  const rank = new Int32Array(count)
  order.forEach((c, i) => (rank[c] = i))
  return { community: compacted.map((c) => rank[c]!), count }
}

/** Modularity (resolution 1) of a partition of the simple graph: for tests and benchmarks. */
export function modularity(graph: SimpleGraph, community: Int32Array): number {
  const { n, offsets, adj, weight } = graph
  let twoM = 0
  const inside = new Float64Array(n)
  const total = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      twoM += weight[p]!
      total[community[i]!]! += weight[p]!
      if (community[adj[p]!] === community[i]) inside[community[i]!]! += weight[p]!
    }
  }
  if (twoM === 0) return 0
  let q = 0
  for (let c = 0; c < n; c++) q += inside[c]! / twoM - (total[c]! / twoM) ** 2
  return q
}

/**
 * What measure() computes, with betweenness from the first half of its sources only (`first`,
 * not normalised): the rest is counted beside it, in another thread, by betweennessHalf(…, 1).
 */
export function measureButHalf(input: EdgeIndices, opts: { exactLimit?: number; samples?: number; work?: number; seed?: number } = {}): Omit<Measures, 'betweenness'> & { first: Float64Array; sourceCount: number } {
  const n = input.n
  const graph = simpleGraph(input)
  const { offsets, adj } = graph
  const degree = new Int32Array(n)
  for (let i = 0; i < n; i++) degree[i] = offsets[i + 1]! - offsets[i]!
  const { sources, sampled } = betweennessSources(n, adj, opts)
  const first = betweennessHalf(n, offsets, adj, sources, 0)
  const c = communities(n, graph, opts.seed)
  return { degree, first, sourceCount: sources.length, community: c.community, communityCount: c.count, sampled, offsets, adj }
}

/** The second half of measureButHalf's betweenness, not normalised. */
export function betweennessRest(input: EdgeIndices, opts: { exactLimit?: number; samples?: number; work?: number } = {}): Float64Array {
  const { offsets, adj } = simpleGraph(input)
  return betweennessHalf(input.n, offsets, adj, betweennessSources(input.n, adj, opts).sources, 1)
}

export function measure(input: MeasureInput | EdgeIndices, opts: { exactLimit?: number; samples?: number; work?: number; seed?: number } = {}): Measures {
  const n = 'nodes' in input ? input.nodes.length : input.n
  const graph = simpleGraph(input)
  const { offsets, adj } = graph
  const degree = new Int32Array(n)
  for (let i = 0; i < n; i++) degree[i] = offsets[i + 1]! - offsets[i]!
  const b = betweenness(n, offsets, adj, opts)
  const c = communities(n, graph, opts.seed)
  return { degree, betweenness: b.values, community: c.community, communityCount: c.count, sampled: b.sampled, offsets, adj }
}

export interface RankedNode {
  id: string
  type: string
  label: string
  betweenness?: number
  degree?: number
  community?: number
  /** Bridge nodes: how many other communities their neighbours are in. */
  other_communities?: number
}

export interface MeasureLists {
  /** The highest betweenness first (only nodes on someone's shortest path). */
  brokers: RankedNode[]
  /** Organisations and people in the view without any link. */
  isolated: RankedNode[]
  /** Edges whose two ends are in different communities. */
  bridge_edges: { id: string; source: string; target: string; type: string; source_community: number; target_community: number }[]
  /** Nodes with neighbours in at least two communities other than their own. */
  bridge_nodes: RankedNode[]
}

/** Names in Swedish order: one collator, where localeCompare(…, 'sv') looked one up per comparison. */
const SWEDISH = new Intl.Collator('sv')

/** `indices`, when given, are the edges' ends by node position (edges[k] at k), as edgeIndices gives them for these nodes and edges. */
export function measureLists(
  nodes: readonly { id: string; type: string; label: string }[],
  edges: readonly { id: string; source: string; target: string; type: string }[],
  m: Measures,
  limit = 20,
  indices?: EdgeIndices,
): MeasureLists {
  const n = nodes.length
  let index: Map<string, number> | undefined
  if (!indices) {
    index = new Map<string, number>()
    nodes.forEach((node, i) => index!.set(node.id, i))
  }
  const round = (x: number) => Math.round(x * 1e6) / 1e6
  const byName = (a: number, b: number) => SWEDISH.compare(nodes[a]!.label, nodes[b]!.label) || (nodes[a]!.id < nodes[b]!.id ? -1 : 1)

  const brokerIdx = [...Array(n).keys()].filter((i) => m.betweenness[i]! > 0).sort((a, b) => m.betweenness[b]! - m.betweenness[a]! || byName(a, b))
  const brokers = brokerIdx.slice(0, limit).map((i) => ({ ...pick(nodes[i]!), betweenness: round(m.betweenness[i]!), degree: m.degree[i]!, community: m.community[i]! }))

  const isolated = [...Array(n).keys()]
    .filter((i) => m.degree[i] === 0 && (nodes[i]!.type === 'organisation' || nodes[i]!.type === 'contact'))
    .sort(byName)
    .map((i) => pick(nodes[i]!))

  const bridge_edges: MeasureLists['bridge_edges'] = []
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!
    const a = indices ? indices.source[k] : index!.get(e.source)
    const b = indices ? indices.target[k] : index!.get(e.target)
    if (a === undefined || b === undefined) continue
    if (m.community[a] !== m.community[b]) {
      bridge_edges.push({ id: e.id, source: e.source, target: e.target, type: e.type, source_community: m.community[a]!, target_community: m.community[b]! })
    }
  }

  const bridgeNodes: { i: number; others: number }[] = []
  const others = new Set<number>()
  for (let i = 0; i < n; i++) {
    others.clear()
    for (let p = m.offsets[i]!; p < m.offsets[i + 1]!; p++) {
      const c = m.community[m.adj[p]!]!
      if (c !== m.community[i]) others.add(c)
    }
    if (others.size >= 2) bridgeNodes.push({ i, others: others.size })
  }
  bridgeNodes.sort((a, b) => b.others - a.others || m.betweenness[b.i]! - m.betweenness[a.i]! || byName(a.i, b.i))
  const bridge_nodes = bridgeNodes.slice(0, limit).map(({ i, others }) => ({ ...pick(nodes[i]!), community: m.community[i]!, other_communities: others, betweenness: round(m.betweenness[i]!) }))

  return { brokers, isolated, bridge_edges, bridge_nodes }
}

function pick(n: { id: string; type: string; label: string }): RankedNode {
  return { id: n.id, type: n.type, label: n.label }
}
