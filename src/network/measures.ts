import { UndirectedGraph } from 'graphology'
import louvainModule from 'graphology-communities-louvain'

// A CommonJS module: Node hands its exports over as the default import.
const louvain = louvainModule as unknown as typeof louvainModule.default

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

/** The view's links by node position; a link to a node outside the view is left out. */
export function edgeIndices(input: MeasureInput): EdgeIndices {
  const index = new Map<string, number>()
  input.nodes.forEach((node, i) => index.set(node.id, i))
  const kept = input.edges.filter((e) => index.has(e.source) && index.has(e.target))
  return {
    n: input.nodes.length,
    source: Int32Array.from(kept, (e) => index.get(e.source)!),
    target: Int32Array.from(kept, (e) => index.get(e.target)!),
    weight: Float64Array.from(kept, (e) => e.weight ?? 1),
  }
}

/** The simple undirected graph of the view as compressed neighbour lists, plus summed weights per pair. */
export function simpleGraph(input: MeasureInput | EdgeIndices): { offsets: Int32Array; adj: Int32Array; pairs: Map<number, number> } {
  const { n, source, target, weight } = 'nodes' in input ? edgeIndices(input) : input
  // Pair key i*n+j with i<j; summed weights (for Louvain).
  const pairs = new Map<number, number>()
  for (let k = 0; k < source.length; k++) {
    const a = source[k]!
    const b = target[k]!
    if (a === b) continue
    const key = a < b ? a * n + b : b * n + a
    pairs.set(key, (pairs.get(key) ?? 0) + weight[k]!)
  }
  const degree = new Int32Array(n)
  for (const key of pairs.keys()) {
    degree[Math.floor(key / n)]!++
    degree[key % n]!++
  }
  const offsets = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!
  const fill = offsets.slice(0, n)
  const adj = new Int32Array(offsets[n]!)
  for (const key of pairs.keys()) {
    const a = Math.floor(key / n)
    const b = key % n
    adj[fill[a]!++] = b
    adj[fill[b]!++] = a
  }
  return { offsets, adj, pairs }
}

/** Brandes' betweenness from the given sources (all nodes when `sources` is null), not yet normalised. */
function brandes(n: number, offsets: Int32Array, adj: Int32Array, sources: Int32Array | null): Float64Array {
  const cb = new Float64Array(n)
  const sigma = new Float64Array(n)
  const dist = new Int32Array(n)
  const delta = new Float64Array(n)
  const stack = new Int32Array(n)
  const queue = new Int32Array(n)
  const count = sources ? sources.length : n
  for (let k = 0; k < count; k++) {
    const s = sources ? sources[k]! : k
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

/** Normalised betweenness (see above), exact or from a seeded sample of sources. */
export function betweenness(n: number, offsets: Int32Array, adj: Int32Array, opts: { exactLimit?: number; samples?: number; work?: number } = {}): { values: Float64Array; sampled: boolean; sources: number } {
  const exactLimit = opts.exactLimit ?? EXACT_BETWEENNESS_LIMIT
  const affordable = Math.floor((opts.work ?? BETWEENNESS_WORK) / (n + adj.length))
  const samples = Math.min(opts.samples ?? BETWEENNESS_SAMPLES, Math.max(MIN_BETWEENNESS_SAMPLES, affordable))
  let sources: Int32Array | null = null
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
    sources = all.slice(0, samples)
  }
  const raw = brandes(n, offsets, adj, sources)
  // Each unordered pair is counted from both ends: halve, scale up a sample, divide by the pairs.
  const scale = (n <= 2 ? 0 : 1 / ((n - 1) * (n - 2))) * (sources ? n / sources.length : 1)
  for (let i = 0; i < n; i++) raw[i]! *= scale
  return { values: raw, sampled: sources !== null, sources: sources ? sources.length : n }
}

/** Louvain communities, seeded; numbered from the largest (ties: the one met first). */
export function communities(n: number, pairs: Map<number, number>, seed = 1): { community: Int32Array; count: number } {
  const community = new Int32Array(n)
  if (n === 0) return { community, count: 0 }
  const g = new UndirectedGraph()
  for (let i = 0; i < n; i++) g.addNode(i)
  for (const [key, weight] of pairs) g.addEdge(Math.floor(key / n), key % n, { weight })
  const raw = pairs.size === 0 ? null : louvain(g, { rng: seededRandom(seed), getEdgeWeight: 'weight' })
  const label = (i: number) => (raw ? raw[String(i)]! : i)
  const size = new Map<number, number>()
  const first = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const c = label(i)
    size.set(c, (size.get(c) ?? 0) + 1)
    if (!first.has(c)) first.set(c, i)
  }
  const order = [...size.keys()].sort((a, b) => size.get(b)! - size.get(a)! || first.get(a)! - first.get(b)!)
  const renumber = new Map(order.map((c, i) => [c, i]))
  for (let i = 0; i < n; i++) community[i] = renumber.get(label(i))!
  return { community, count: order.length }
}

export function measure(input: MeasureInput | EdgeIndices, opts: { exactLimit?: number; samples?: number; work?: number; seed?: number } = {}): Measures {
  const n = 'nodes' in input ? input.nodes.length : input.n
  const { offsets, adj, pairs } = simpleGraph(input)
  const degree = new Int32Array(n)
  for (let i = 0; i < n; i++) degree[i] = offsets[i + 1]! - offsets[i]!
  const b = betweenness(n, offsets, adj, opts)
  const c = communities(n, pairs, opts.seed)
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

export function measureLists(
  nodes: readonly { id: string; type: string; label: string }[],
  edges: readonly { id: string; source: string; target: string; type: string }[],
  m: Measures,
  limit = 20,
): MeasureLists {
  const n = nodes.length
  const index = new Map<string, number>()
  nodes.forEach((node, i) => index.set(node.id, i))
  const round = (x: number) => Math.round(x * 1e6) / 1e6
  const byName = (a: number, b: number) => nodes[a]!.label.localeCompare(nodes[b]!.label, 'sv') || (nodes[a]!.id < nodes[b]!.id ? -1 : 1)

  const brokerIdx = [...Array(n).keys()].filter((i) => m.betweenness[i]! > 0).sort((a, b) => m.betweenness[b]! - m.betweenness[a]! || byName(a, b))
  const brokers = brokerIdx.slice(0, limit).map((i) => ({ ...pick(nodes[i]!), betweenness: round(m.betweenness[i]!), degree: m.degree[i]!, community: m.community[i]! }))

  const isolated = [...Array(n).keys()]
    .filter((i) => m.degree[i] === 0 && (nodes[i]!.type === 'organisation' || nodes[i]!.type === 'contact'))
    .sort(byName)
    .map((i) => pick(nodes[i]!))

  const bridge_edges: MeasureLists['bridge_edges'] = []
  for (const e of edges) {
    const a = index.get(e.source)
    const b = index.get(e.target)
    if (a === undefined || b === undefined) continue
    if (m.community[a] !== m.community[b]) {
      bridge_edges.push({ id: e.id, source: e.source, target: e.target, type: e.type, source_community: m.community[a]!, target_community: m.community[b]! })
    }
  }

  const bridgeNodes: { i: number; others: number }[] = []
  for (let i = 0; i < n; i++) {
    const others = new Set<number>()
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
