import { UndirectedGraph } from 'graphology'
import fa2Module from 'graphology-layout-forceatlas2'
import { communities, seededRandom, simpleGraph, type EdgeIndices } from './measures.ts'

// CommonJS: Node hands its exports over as the default import.
const forceAtlas2 = fa2Module as unknown as typeof fa2Module.default

/** A graph by ids, or its node ids with its edges by node position (what a worker is sent). */
export type LayoutInput =
  | { nodes: readonly { id: string }[]; edges: readonly { source: string; target: string; weight?: number }[] }
  | { ids: readonly string[]; indices: EdgeIndices }

/**
 * ForceAtlas2 positions (rounded to 0.1), deterministic for the same graph. It starts from the
 * communities laid out on a circle, each a seeded random disc, so that far fewer iterations are
 * needed than from noise; Barnes–Hut above 500 nodes. Pure: runs in a worker (layout.worker.ts).
 */
export function forceAtlas2Positions(graph: LayoutInput, iterations?: number): Record<string, [number, number]> {
  const ids = 'ids' in graph ? graph.ids : graph.nodes.map((node) => node.id)
  const n = ids.length
  const out: Record<string, [number, number]> = {}
  if (n === 0) return out
  const simple = simpleGraph('ids' in graph ? graph.indices : graph)
  const { community, count } = communities(n, simple, 1)
  const sizes = new Array<number>(count).fill(0)
  for (let i = 0; i < n; i++) sizes[community[i]!]!++
  const rng = seededRandom(n)
  const radius = Math.sqrt(n) * 12
  const g = new UndirectedGraph()
  for (let i = 0; i < n; i++) {
    const c = community[i]!
    const angle = (2 * Math.PI * c) / count
    const r = Math.sqrt(sizes[c]!) * 4 * Math.sqrt(rng())
    const a = 2 * Math.PI * rng()
    g.addNode(i, { x: radius * Math.cos(angle) + r * Math.cos(a), y: radius * Math.sin(angle) + r * Math.sin(a) })
  }
  for (let i = 0; i < n; i++) {
    for (let p = simple.offsets[i]!; p < simple.offsets[i + 1]!; p++) {
      if (simple.adj[p]! > i) g.addEdge(i, simple.adj[p]!, { weight: simple.weight[p]! })
    }
  }
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 500, barnesHutTheta: n > 5000 ? 1 : 0.5 }
  const positions = forceAtlas2(g, { iterations: iterations ?? (n > 5000 ? 40 : n > 2000 ? 60 : 100), settings, getEdgeWeight: 'weight' })
  ids.forEach((id, i) => {
    const p = positions[String(i)]!
    out[id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10]
  })
  return out
}

/** Below this share of its nodes placed before, a graph is laid out anew (an import changed too much to keep). */
export const KEEP_PLACES_FROM = 0.95

/**
 * The places of a layout of an earlier state of the same view kept, and the nodes new since set
 * beside the placed nodes they link to (the mean of those, a little apart; one linked only to
 * other new nodes after them), those with no placed link in a row below the rest. After a write,
 * ForceAtlas2 of the whole register again took two minutes of a core at 200 000 contacts, and
 * moved every node; this takes a fraction of a second and moves none. A day's first layout is
 * computed anew (the day is in the view key). Deterministic for the same graph and places. Null
 * when fewer than KEEP_PLACES_FROM of the nodes have a place.
 */
export function keepPlaces(graph: LayoutInput, previous: Readonly<Record<string, readonly [number, number]>>): Record<string, [number, number]> | null {
  const ids = 'ids' in graph ? graph.ids : graph.nodes.map((node) => node.id)
  const n = ids.length
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  const placed = new Uint8Array(n)
  let count = 0
  ids.forEach((id, i) => {
    const p = previous[id]
    if (!p) return
    ;[x[i], y[i]] = p
    placed[i] = 1
    count++
  })
  if (n === 0 || count < n * KEEP_PLACES_FROM) return null
  if (count < n) {
    const { offsets, adj } = simpleGraph('ids' in graph ? graph.indices : graph)
    const rng = seededRandom(n)
    const jitter = () => (rng() - 0.5) * 40
    // Breadth first from the placed nodes: each round places the nodes linked to those placed
    // before it, and queues their unplaced neighbours (each node once: linear in the links).
    const queued = new Uint8Array(n)
    const linkedToPlaced = (i: number) => {
      for (let p = offsets[i]!; p < offsets[i + 1]!; p++) if (placed[adj[p]!]) return true
      return false
    }
    let round: number[] = []
    for (let i = 0; i < n; i++) {
      if (placed[i] || !linkedToPlaced(i)) continue
      queued[i] = 1
      round.push(i)
    }
    while (round.length > 0) {
      const now = round.map((i) => {
        let sx = 0
        let sy = 0
        let near = 0
        for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
          const j = adj[p]!
          if (!placed[j]) continue
          sx += x[j]!
          sy += y[j]!
          near++
        }
        return [i, sx / near + jitter(), sy / near + jitter()] as const
      })
      const next: number[] = []
      for (const [i, px, py] of now) {
        x[i] = px
        y[i] = py
        placed[i] = 1
      }
      for (const [i] of now) {
        for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
          const j = adj[p]!
          if (placed[j] || queued[j]) continue
          queued[j] = 1
          next.push(j)
        }
      }
      round = next
    }
    // Linked to nothing placed: a row below the picture.
    let x1 = Infinity
    let x2 = -Infinity
    let y2 = -Infinity
    for (let i = 0; i < n; i++) {
      if (!placed[i]) continue
      x1 = Math.min(x1, x[i]!)
      x2 = Math.max(x2, x[i]!)
      y2 = Math.max(y2, y[i]!)
    }
    const rest: number[] = []
    for (let i = 0; i < n; i++) if (!placed[i]) rest.push(i)
    rest.forEach((i, k) => {
      x[i] = x1 + ((k * 40) % Math.max(x2 - x1, 400))
      y[i] = y2 + 60 + 40 * Math.floor((k * 40) / Math.max(x2 - x1, 400))
    })
  }
  const out: Record<string, [number, number]> = {}
  ids.forEach((id, i) => {
    out[id] = [Math.round(x[i]! * 10) / 10, Math.round(y[i]! * 10) / 10]
  })
  return out
}
