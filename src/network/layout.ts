import { UndirectedGraph } from 'graphology'
import fa2Module from 'graphology-layout-forceatlas2'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import type { Graph } from './graph.service.ts'
import { seededRandom, simpleGraph } from './measures.ts'

// CommonJS: Node hands its exports over as the default import.
const forceAtlas2 = fa2Module as unknown as typeof fa2Module.default

/**
 * Server-side layout for large views: a browser lays out a few hundred nodes at once, but not
 * thousands. Views above LAYOUT_THRESHOLD nodes get `x`, `y` from ForceAtlas2 run here on the
 * day's whole graph of the requested node types (filters and ego networks only pick nodes out of
 * it, so positions stay where they were when a filter changes), seeded so that it is the same
 * picture every time. Positions are kept in network_layout_cache under the view key (day and
 * types) with the data version they were computed from; a change to the register changes the
 * data version, and the next request computes them again (and clears stale rows).
 */

export const LAYOUT_THRESHOLD = 1500

export function viewKey(graph: Pick<Graph, 'at'>, types: readonly string[]): string {
  return `fa2:v1|${graph.at}|${[...types].sort().join(',')}`
}

/** ForceAtlas2 positions (rounded to 0.1), deterministic for the same graph. */
export function forceAtlas2Positions(graph: Pick<Graph, 'nodes' | 'edges'>, iterations?: number): Record<string, [number, number]> {
  const n = graph.nodes.length
  const out: Record<string, [number, number]> = {}
  if (n === 0) return out
  const { pairs } = simpleGraph(graph)
  const g = new UndirectedGraph()
  const rng = seededRandom(n)
  const spread = Math.sqrt(n) * 10
  graph.nodes.forEach((node, i) => g.addNode(i, { x: (rng() - 0.5) * spread, y: (rng() - 0.5) * spread }))
  for (const [key, weight] of pairs) g.addEdge(Math.floor(key / n), key % n, { weight })
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 500 }
  const positions = forceAtlas2(g, { iterations: iterations ?? (n > 5000 ? 60 : 100), settings, getEdgeWeight: 'weight' })
  graph.nodes.forEach((node, i) => {
    const p = positions[String(i)]!
    out[node.id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10]
  })
  return out
}

const inFlight = new Map<string, Promise<Record<string, [number, number]>>>()

/** The cached positions of the day's graph of these types, computed when missing or stale. */
export async function cachedLayout(db: Executor, graph: Graph, types: readonly string[]): Promise<{ positions: Record<string, [number, number]>; cached: boolean }> {
  const key = viewKey(graph, types)
  const version = graph.version
  const row = await db.selectFrom('network_layout_cache').select(['positions']).where('view_key', '=', key).where('data_version', '=', version).executeTakeFirst()
  if (row) return { positions: typeof row.positions === 'string' ? JSON.parse(row.positions) : row.positions, cached: true }

  const flightKey = `${key}#${version}`
  let job = inFlight.get(flightKey)
  if (!job) {
    job = (async () => {
      const positions = forceAtlas2Positions(graph)
      const json = JSON.stringify(positions)
      // Rows computed from an older state of the register are of no use any more.
      await db.deleteFrom('network_layout_cache').where('data_version', '<>', version).execute()
      await db
        .insertInto('network_layout_cache')
        .values({ view_key: key, data_version: version, positions: json })
        .onConflict((oc) => oc.column('view_key').doUpdateSet({ data_version: version, positions: json, created_at: sql`now()` }))
        .execute()
      return positions
    })().finally(() => inFlight.delete(flightKey))
    inFlight.set(flightKey, job)
  }
  return { positions: await job, cached: false }
}
