import { UndirectedGraph } from 'graphology'
import louvainModule from 'graphology-communities-louvain'
import betweennessModule from 'graphology-metrics/centrality/betweenness.js'
import { describe, expect, it } from 'vitest'
import { betweenness, communities, edgeIndices, measure, measureLists, MIN_BETWEENNESS_SAMPLES, modularity, seededRandom, simpleGraph } from '../../src/network/measures.ts'

const graphologyLouvain = louvainModule as unknown as typeof louvainModule.default
const graphologyBetweenness = betweennessModule as unknown as (g: UndirectedGraph, o: { getEdgeWeight: null; normalized: boolean }) => Record<string, number>

/** Nodes named by letters, edges as "a-b" strings. */
function graph(edges: string[], extra: string[] = []) {
  const names = [...new Set([...edges.flatMap((e) => e.split('-')), ...extra])]
  return {
    nodes: names.map((id) => ({ id, type: 'organisation', label: id })),
    edges: edges.map((e, i) => {
      const [source, target] = e.split('-') as [string, string]
      return { id: `e${i}`, source, target, type: 'partner_of', weight: 1 }
    }),
  }
}
const byName = (g: { nodes: { id: string }[] }, values: ArrayLike<number>) => Object.fromEntries(g.nodes.map((n, i) => [n.id, values[i]]))

describe('edgeIndices', () => {
  it('gives each kept link its ends by node position and weight (1 when none), leaving out links to nodes outside the view', () => {
    const nodes = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]
    const edges = [
      { source: 'a', target: 'b', weight: 3 },
      { source: 'a', target: 'gone' },
      { source: 'gone', target: 'c' },
      { source: 'c', target: 'a' },
    ]
    const e = edgeIndices({ nodes, edges })
    expect(e.n).toBe(3)
    expect([...e.source]).toEqual([0, 2])
    expect([...e.target]).toEqual([1, 0])
    expect([...e.weight]).toEqual([3, 1])
    // A worker is sent the buffers whole: they hold the kept links only.
    expect(e.source.buffer.byteLength).toBe(2 * 4)
    expect(e.weight.buffer.byteLength).toBe(2 * 8)
  })
})

describe('measures against hand-computed values', () => {
  it('path a–b–c–d: degree 1 2 2 1; b and c each lie between 2 of the 3 pairs of other nodes', () => {
    const g = graph(['a-b', 'b-c', 'c-d'])
    const m = measure(g)
    expect(byName(g, m.degree)).toEqual({ a: 1, b: 2, c: 2, d: 1 })
    const b = byName(g, m.betweenness)
    expect(b.a).toBe(0)
    expect(b.d).toBe(0)
    expect(b.b).toBeCloseTo(2 / 3, 12)
    expect(b.c).toBeCloseTo(2 / 3, 12)
  })

  it('star with four leaves: the centre lies on every path between leaves (betweenness 1), leaves on none', () => {
    const g = graph(['s-l1', 's-l2', 's-l3', 's-l4'])
    const m = measure(g)
    expect(byName(g, m.degree)).toEqual({ s: 4, l1: 1, l2: 1, l3: 1, l4: 1 })
    expect(byName(g, m.betweenness)).toEqual({ s: 1, l1: 0, l2: 0, l3: 0, l4: 0 })
  })

  it('normalises over the whole view: the path and the star side by side, plus an isolated node (n = 10, 36 pairs)', () => {
    const g = graph(['a-b', 'b-c', 'c-d', 's-l1', 's-l2', 's-l3', 's-l4'], ['z'])
    const m = measure(g)
    const b = byName(g, m.betweenness)
    // Raw: b and c 2 pairs each, s 6 pairs; normalised by (n-1)(n-2)/2 = 36.
    expect(b.b).toBeCloseTo(2 / 36, 12)
    expect(b.s).toBeCloseTo(6 / 36, 12)
    expect(b.z).toBe(0)
    expect(byName(g, m.degree).z).toBe(0)
    const lists = measureLists(g.nodes, g.edges, m)
    expect(lists.brokers.map((x) => x.id)).toEqual(['s', 'b', 'c'])
    expect(lists.isolated.map((x) => x.id)).toEqual(['z'])
  })

  it('counts two links between the same two records once (degree = distinct neighbours)', () => {
    const g = graph(['a-b', 'a-b', 'b-c'])
    const m = measure(g)
    expect(byName(g, m.degree)).toEqual({ a: 1, b: 2, c: 1 })
    expect(byName(g, m.betweenness).b).toBe(1)
  })

  it('splits two cliques joined by one edge into two communities; that edge is the only bridge', () => {
    const left = ['a-b', 'a-c', 'a-d', 'b-c', 'b-d', 'c-d']
    const right = left.map((e) => e.replace(/[a-d]/g, (ch) => ({ a: 'w', b: 'x', c: 'y', d: 'z' })[ch]!))
    const g = graph([...left, ...right, 'd-w'])
    const m = measure(g)
    expect(m.communityCount).toBe(2)
    const c = byName(g, m.community)
    expect(new Set([c.a, c.b, c.c, c.d]).size).toBe(1)
    expect(new Set([c.w, c.x, c.y, c.z]).size).toBe(1)
    expect(c.a).not.toBe(c.w)
    const lists = measureLists(g.nodes, g.edges, m)
    expect(lists.bridge_edges.map((e) => [e.source, e.target])).toEqual([['d', 'w']])
    // d and w are brokers: every path between the cliques runs through both.
    expect(lists.brokers.slice(0, 2).map((x) => x.id).sort()).toEqual(['d', 'w'])
    // Same view, same communities.
    expect(Array.from(measure(g).community)).toEqual(Array.from(m.community))
  })

  it('names as bridge nodes those with neighbours in at least two other communities', () => {
    // Three triangles hanging off a hub h: h has neighbours in the two communities it is not in.
    const g = graph(['a1-a2', 'a2-a3', 'a1-a3', 'b1-b2', 'b2-b3', 'b1-b3', 'c1-c2', 'c2-c3', 'c1-c3', 'h-a1', 'h-b1', 'h-c1'])
    const m = measure(g)
    const lists = measureLists(g.nodes, g.edges, m)
    expect(lists.bridge_nodes.map((x) => x.id)).toEqual(['h'])
    expect(lists.bridge_nodes[0]!.other_communities).toBe(2)
  })

  it('agrees with graphology-metrics on a random graph', () => {
    const rng = seededRandom(7)
    const edges: string[] = []
    for (let i = 0; i < 300; i++) edges.push(`n${Math.floor(rng() * 80)}-n${Math.floor(rng() * 80)}`)
    const g = graph(edges.filter((e) => e.split('-')[0] !== e.split('-')[1]))
    const ours = byName(g, measure(g).betweenness)
    const ref = new UndirectedGraph()
    for (const n of g.nodes) ref.addNode(n.id)
    for (const e of g.edges) if (!ref.hasEdge(e.source, e.target)) ref.addEdge(e.source, e.target)
    const theirs = graphologyBetweenness(ref, { getEdgeWeight: null, normalized: true })
    for (const n of g.nodes) expect(ours[n.id]).toBeCloseTo(theirs[n.id]!, 10)
  })

  it('estimates betweenness of large views from a fixed sample: the same numbers every time, close to the exact ones', () => {
    const rng = seededRandom(11)
    const edges: string[] = []
    for (let i = 1; i < 400; i++) edges.push(`n${i}-n${Math.floor(rng() * i)}`)
    const g = graph(edges)
    const exact = measure(g)
    const sampled = measure(g, { exactLimit: 100, samples: 200 })
    expect(sampled.sampled).toBe(true)
    expect(exact.sampled).toBe(false)
    expect(Array.from(measure(g, { exactLimit: 100, samples: 200 }).betweenness)).toEqual(Array.from(sampled.betweenness))
    const top = (b: Float64Array, k: number) => [...b.keys()].sort((x, y) => b[y]! - b[x]!).slice(0, k)
    expect(top(sampled.betweenness, 5)).toContain(top(exact.betweenness, 1)[0])
    const error = exact.betweenness.reduce((sum, x, i) => sum + Math.abs(x - sampled.betweenness[i]!), 0) / exact.betweenness.reduce((sum, x) => sum + x, 0)
    expect(error).toBeLessThan(0.25)
  })

  it('samples fewer sources in a view too large for all of them in its time budget, never fewer than the floor', () => {
    const rng = seededRandom(12)
    const edges: string[] = []
    for (let i = 1; i < 400; i++) edges.push(`n${i}-n${Math.floor(rng() * i)}`)
    const g = graph(edges)
    const { offsets, adj } = simpleGraph(g)
    const steps = g.nodes.length + adj.length
    // Enough work for 200 sources: all 200; for 80: 80; for 10: the floor.
    expect(betweenness(g.nodes.length, offsets, adj, { exactLimit: 100, samples: 200, work: steps * 200 }).sources).toBe(200)
    expect(betweenness(g.nodes.length, offsets, adj, { exactLimit: 100, samples: 200, work: steps * 80 }).sources).toBe(80)
    expect(betweenness(g.nodes.length, offsets, adj, { exactLimit: 100, samples: 200, work: steps * 10 }).sources).toBe(MIN_BETWEENNESS_SAMPLES)
  })
})

/** `groups` groups of `size` nodes: each pair inside linked with probability `pIn`, across with `pOut`. */
function planted(groups: number, size: number, pIn: number, pOut: number, seed: number) {
  const rng = seededRandom(seed)
  const edges: string[] = []
  const n = groups * size
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const same = Math.floor(i / size) === Math.floor(j / size)
      if (rng() < (same ? pIn : pOut)) edges.push(`n${i}-n${j}`)
    }
  }
  return graph(edges, Array.from({ length: n }, (_, i) => `n${i}`))
}

describe('communities (Louvain on the neighbour lists)', () => {
  it('merges repeated links into one neighbour with their weights summed, and leaves out loops', () => {
    const g = graph(['a-b', 'b-a', 'a-b', 'b-c', 'c-c'])
    g.edges[1]!.weight = 2
    const s = simpleGraph(g)
    const neighbours = (name: string) => {
      const i = g.nodes.findIndex((n) => n.id === name)
      return Object.fromEntries([...Array(s.offsets[i + 1]! - s.offsets[i]!).keys()].map((k) => [g.nodes[s.adj[s.offsets[i]! + k]!]!.id, s.weight[s.offsets[i]! + k]]))
    }
    expect(neighbours('a')).toEqual({ b: 4 })
    expect(neighbours('b')).toEqual({ a: 4, c: 1 })
    expect(neighbours('c')).toEqual({ b: 1 })
  })

  it('computes modularity as by hand: two triangles joined by one link, split in two, Q = 5/14', () => {
    const g = graph(['a-b', 'b-c', 'a-c', 'x-y', 'y-z', 'x-z', 'c-x'])
    const split = Int32Array.from(g.nodes, (n) => (['a', 'b', 'c'].includes(n.id) ? 0 : 1))
    // m = 7; each side: 3 links inside, degree sum 7 → 2 × (3/7 − (7/14)²).
    expect(modularity(simpleGraph(g), split)).toBeCloseTo(2 * (3 / 7 - 0.25), 12)
    expect(modularity(simpleGraph(g), new Int32Array(6))).toBeCloseTo(0, 12)
  })

  it('finds planted groups exactly: 12 groups of 20, dense inside, sparse across', () => {
    const g = planted(12, 20, 0.5, 0.01, 3)
    const { community, communityCount: count } = measure(g)
    expect(count).toBe(12)
    for (let group = 0; group < 12; group++) {
      const labels = new Set(Array.from({ length: 20 }, (_, k) => community[g.nodes.findIndex((n) => n.id === `n${group * 20 + k}`)]))
      expect(labels.size).toBe(1)
    }
  })

  it('follows the weights: a heavy link holds two nodes together against lighter ones', () => {
    // a–b heavy, each also lightly linked into its own triangle with others; b's lot decides.
    const g = graph(['a-b', 'a-c', 'a-d', 'c-d', 'b-e', 'b-f', 'e-f'])
    g.edges[0]!.weight = 10
    const c = byName(g, measure(g).community)
    expect(c.a).toBe(c.b)
    g.edges[0]!.weight = 0.1
    const light = byName(g, measure(g).community)
    expect(light.a).not.toBe(light.b)
    expect(light.a).toBe(light.c)
    expect(light.b).toBe(light.e)
  })

  it('finds communities as good as graphology-communities-louvain on random clustered graphs (modularity)', () => {
    for (const seed of [5, 6, 7]) {
      const g = planted(30, 15, 0.25, 0.02, seed)
      const s = simpleGraph(g)
      const ours = modularity(s, communities(g.nodes.length, s, 1).community)
      const ref = new UndirectedGraph()
      for (const n of g.nodes) ref.addNode(n.id)
      for (const e of g.edges) if (!ref.hasEdge(e.source, e.target)) ref.addEdge(e.source, e.target)
      const theirs = graphologyLouvain(ref, { rng: seededRandom(1) })
      const index = new Map(g.nodes.map((n, i) => [n.id, i]))
      const labels = new Int32Array(g.nodes.length)
      for (const [id, c] of Object.entries(theirs)) labels[index.get(id)!] = c
      expect(ours).toBeGreaterThan(modularity(s, labels) - 0.005)
    }
  })

  it('numbers communities from the largest down, and the same graph the same way every time', () => {
    const g = graph(['a-b', 'b-c', 'a-c', 'x-y', 'y-z', 'x-z', 'z-w', 'w-x', 'c-x'])
    const first = measure(g)
    const c = byName(g, first.community)
    expect(c.x).toBe(0)
    expect(c.a).toBe(1)
    expect(Array.from(measure(g).community)).toEqual(Array.from(first.community))
  })
})
