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
