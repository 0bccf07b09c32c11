import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import type { Graph } from './graph.service.ts'
import type { LayoutInput } from './layout-fa2.ts'

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

/** Runs ForceAtlas2 in a worker thread: seconds of work for 10 000 nodes must not stop the server. */
export function layoutInWorker(graph: LayoutInput): Promise<Record<string, [number, number]>> {
  // The sources run as .ts, the build as .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const input: LayoutInput = {
    nodes: graph.nodes.map((n) => ({ id: n.id })),
    edges: graph.edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight })),
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`./layout.worker${ext}`, import.meta.url), { workerData: input })
    worker.once('message', (positions: Record<string, [number, number]>) => resolve(positions))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`layout worker stopped with exit code ${code}`))
    })
  })
}

/** How long a request waits for a layout being computed before it answers without positions. */
export const LAYOUT_WAIT_MS = 3000

const inFlight = new Map<string, Promise<Record<string, [number, number]>>>()

/**
 * The cached positions of the day's graph of these types. When missing or stale they are
 * computed in a worker and stored; the request waits for them up to `waitMs`, then answers
 * without (`pending`) while the work goes on and lands in the cache for the next request.
 */
export async function cachedLayout(
  db: Executor,
  graph: Graph,
  types: readonly string[],
  waitMs = LAYOUT_WAIT_MS,
): Promise<{ positions: Record<string, [number, number]> | null; state: 'cached' | 'computed' | 'pending'; done?: Promise<unknown> }> {
  const key = viewKey(graph, types)
  const version = graph.version
  const row = await db.selectFrom('network_layout_cache').select(['positions']).where('view_key', '=', key).where('data_version', '=', version).executeTakeFirst()
  if (row) return { positions: typeof row.positions === 'string' ? JSON.parse(row.positions) : row.positions, state: 'cached' }

  const flightKey = `${key}#${version}`
  let job = inFlight.get(flightKey)
  if (!job) {
    job = (async () => {
      const positions = await layoutInWorker(graph)
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
    // A layout nobody waits for any more must not become an unhandled rejection.
    job.catch(() => {})
    inFlight.set(flightKey, job)
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs)
  })
  try {
    const positions = await Promise.race([job, timeout])
    return positions ? { positions, state: 'computed' } : { positions: null, state: 'pending', done: job.catch(() => null) }
  } finally {
    clearTimeout(timer)
  }
}
