import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import { outlivesRequest } from '../db/client-gone.ts'
import type { Executor } from '../db/write.ts'
import type { Graph } from './graph.service.ts'
import type { LayoutInput } from './layout-fa2.ts'
import { indicesOf } from './measures.ts'
import { within } from '../within.ts'

/**
 * Server-side layout for large views: a browser lays out a few hundred nodes at once, but not
 * thousands. Views above LAYOUT_THRESHOLD nodes get `x`, `y` from ForceAtlas2 run here on the
 * day's whole graph of the requested node types (filters only pick nodes out of it, so positions
 * stay where they were when a filter changes), seeded so that a day's first layout is the same picture every time.
 * An ego network is laid out on its own neighbourhood (the graph it was read from): laying out the
 * whole register for it took longer than the view at the national size, and at a million contacts
 * more memory than the heap had. Positions are kept in network_layout_cache under the view key
 * (day, types and, for an ego network, its focus and depth) with the version of what the graph reads
 * (NAMED) they were computed from; a change to what it reads changes that version, and the next request computes them again (and clears stale rows): from the same
 * day's places of the state before, kept, with the nodes added since set beside their links
 * (keepPlaces), and meanwhile serves those (`server_previous`). Several app
 * instances on one database compute each layout once between them (network_layout_claims).
 */

export const LAYOUT_THRESHOLD = 1500

/**
 * The key a view's layout is stored under. `v2`: its versions are those of what the graph reads
 * (src/db/data-version.ts NAMED; 20261207T1500_names_counted_apart renamed the stored `v1` rows,
 * whose versions were the whole data version's, a larger number). An instance still on `v1` during
 * a rolling upgrade keeps to its own rows.
 */
export function viewKey(graph: Pick<Graph, 'at' | 'around'>, types: readonly string[]): string {
  const around = graph.around ? `|around:${graph.around.focus}:${graph.around.depth}` : ''
  return `fa2:v2|${graph.at}|${[...types].sort().join(',')}${around}`
}

/** A layout stopped because the register changed while it ran: a newer one of the same view replaces it. */
export class LayoutSuperseded extends Error {
  constructor() {
    super('layout superseded by a newer state of the register')
  }
}

/** What a layout is made from: a graph's nodes and edges, and its positions of the edges' ends when known. */
export type LayoutSource = Pick<Graph, 'nodes' | 'edges' | 'ends'>

/**
 * Runs ForceAtlas2 in a worker thread: seconds of work for 10 000 nodes must not stop the server.
 * `signal` stops the worker (the promise then rejects with LayoutSuperseded).
 */
export function layoutInWorker(graph: LayoutSource, signal?: AbortSignal, previous?: Positions): Promise<Record<string, [number, number]>> {
  // The sources run as .ts, the build as .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  // A worker is sent a copy: the ids and the edges by position (typed arrays, moved rather than
  // copied) where the graph knows its edges' positions — not an object per edge to copy.
  const ids = graph.nodes.map((n) => n.id)
  const input: LayoutInput = graph.ends
    ? { ids, indices: indicesOf(ids.length, graph.edges, graph.ends) }
    : { nodes: ids.map((id) => ({ id })), edges: graph.edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight })) }
  const transferList = 'indices' in input ? ([input.indices.source.buffer, input.indices.target.buffer, input.indices.weight.buffer] as ArrayBuffer[]) : []
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LayoutSuperseded())
    const worker = new Worker(new URL(`./layout.worker${ext}`, import.meta.url), { workerData: previous ? { ...input, previous } : input, transferList })
    const stop = () => {
      reject(new LayoutSuperseded())
      void worker.terminate()
    }
    signal?.addEventListener('abort', stop, { once: true })
    worker.once('message', (positions: Record<string, [number, number]>) => resolve(positions))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', stop)
      if (code !== 0) reject(new Error(`layout worker stopped with exit code ${code}`))
    })
  })
}

/** How long a request waits for a layout being computed before it answers without positions. */
export const LAYOUT_WAIT_MS = 3000

/**
 * A claim not renewed for this long is taken over: the instance that made it stopped before it
 * stored the layout. The instance computing renews its claim every quarter of it.
 */
export const LAYOUT_CLAIM_TTL_S = 60
/** How often an instance waiting for another's layout looks for it. */
const POLL_MS = 250

export type Positions = Record<string, [number, number]>

// Per database handle (one per app instance; tests run two instances in one process).
const inFlight = new WeakMap<Executor, Map<string, { job: Promise<Positions>; previous: Promise<Previous | undefined> }>>()
/**
 * Layout jobs per database handle: the newest data version a job was started for, and the jobs
 * running. A job for a newer version stops those of older ones, whatever their view, and a
 * request for an older version than the newest starts none: the data version only grows, so
 * nobody can use such positions any more. At 50 000 contacts, layouts of versions one write apart
 * piled up in workers, seconds of CPU each (the whole register's view after a write went from 5 s
 * to 15 s; bench/README.md).
 */
interface Jobs {
  newest: bigint
  running: Set<{ version: bigint; stop: AbortController }>
}
const jobsOf = new WeakMap<Executor, Jobs>()
const jobsFor = (db: Executor): Jobs => {
  let jobs = jobsOf.get(db)
  if (!jobs) jobsOf.set(db, (jobs = { newest: -1n, running: new Set() }))
  return jobs
}
/** A data version as a number to compare (src/db/data-version.ts writes it in decimal). */
const versionRank = (version: string): bigint => (/^\d+$/.test(version) ? BigInt(version) : -1n)

let computed = 0
/** How many layouts this process has computed (two instances on one PostgreSQL compute each once between them). */
export const layoutsComputed = (): number => computed

/**
 * Stops this process's layouts of states older than `version`. Called as a view of a newer state
 * begins to be computed: a layout of the state before the last write otherwise went on through the
 * whole new view's reading and measuring, a core of two (seconds at 200 000 contacts), and was
 * stopped only when the new view asked for its own layout.
 */
export function supersedeLayouts(db: Executor, version: string): void {
  const rank = versionRank(version)
  const jobs = jobsFor(db)
  // A request that read the register before the write and asks for its layout later is then
  // answered `pending` (cachedLayout), not given a layout of a state no one will see.
  if (rank > jobs.newest) jobs.newest = rank
  for (const other of jobs.running) if (other.version < rank) other.stop.abort()
}

/**
 * The cached positions of the day's graph of these types. When missing or stale they are
 * computed in a worker and stored; the request waits for them up to `waitMs`, then answers
 * without (`pending`) while the work goes on and lands in the cache for the next request.
 *
 * Computed once, not once per app instance: the instance that inserts the claim of the view key
 * and data version (network_layout_claims) computes it; another instance asking meanwhile waits
 * for the row it stores. Within one instance concurrent requests share one job. The same path
 * runs on the embedded engine, where the one instance always wins its claim.
 */
export async function cachedLayout(
  db: Executor,
  graph: Graph,
  types: readonly string[],
  waitMs = LAYOUT_WAIT_MS,
  /** Whether the places of another state may be answered meanwhile (`previous`; the page's views). */
  { previousPlaces = true }: { previousPlaces?: boolean } = {},
): Promise<{ positions: Positions | null; state: LayoutState; done?: Promise<unknown> }> {
  const key = viewKey(graph, types)
  const version = graph.version
  const row = await storedLayout(db, key, version)
  if (row) return { positions: row, state: 'cached' }
  // Places of another state, served only when they cover most of this one's nodes: a few placed
  // nodes and the rest in a row below is no picture (the page then lays the view out itself).
  // A failed read of them is no error of the request: it is answered `pending`, as before.
  const notYet = async (done: Promise<unknown>, previous: () => Promise<Previous | undefined>) => {
    const p = previousPlaces ? await previous().catch(() => undefined) : undefined
    if (p && placedShare(graph, p.positions) >= PREVIOUS_COVERS) return { positions: p.positions, state: 'previous' as const, done }
    return { positions: null, state: 'pending' as const, done }
  }

  let flights = inFlight.get(db)
  if (!flights) inFlight.set(db, (flights = new Map()))
  const flightKey = `${key}#${version}`
  let flight = flights.get(flightKey)
  if (!flight) {
    const jobs = jobsFor(db)
    const rank = versionRank(version)
    // Read before a write another request has already seen: its positions would never be shown.
    if (rank < jobs.newest) return notYet(Promise.resolve(null), () => previousLayout(db, key))
    jobs.newest = rank
    for (const other of jobs.running) if (other.version < rank) other.stop.abort()
    const mine = { version: rank, stop: new AbortController() }
    jobs.running.add(mine)
    const running = jobs.running
    // Read once (13.5 MB at 200 000 contacts), for the layout and for the requests meanwhile.
    const previous = outlivesRequest(() => previousLayout(db, key))
    previous.catch(() => {})
    // Shared with other requests and going on after a `pending` answer: not stopped with its first asker.
    const job = outlivesRequest(() => layoutOnce(db, graph, key, version, mine.stop.signal, previous)).finally(() => {
      flights.delete(flightKey)
      running.delete(mine)
    })
    // A layout nobody waits for any more must not become an unhandled rejection.
    job.catch(() => {})
    flights.set(flightKey, (flight = { job, previous }))
  }
  const { job, previous } = flight
  // A layout stopped for a newer one is answered as not ready: the next request takes the newer.
  const orNone = job.catch((err: unknown) => {
    if (err instanceof LayoutSuperseded) return null
    throw err
  })
  const positions = await within(waitMs, orNone, null)
  return positions ? { positions, state: 'computed' } : notYet(job.catch(() => null), () => previous)
}

/** Served meanwhile only when at least this share of the view's nodes have a place in it. */
export const PREVIOUS_COVERS = 0.8

/**
 * Nothing to place (a rename, an edit that linked nobody new or removed nobody): keepPlaces would
 * give the places of the state before as they are. Their row is only marked as of this state,
 * instead of the places sent to a worker and written again (13.5 MB at 200 000 contacts, 2.5 s of
 * CPU) — unless another instance stored other places over it since. Whether it was.
 */
async function keptAsOf(db: Executor, graph: Pick<Graph, 'nodes'>, key: string, previous: Previous, version: string): Promise<boolean> {
  if (!placesExactly(graph, previous.positions)) return false
  const { numUpdatedRows } = await db
    .updateTable('network_layout_cache')
    .set({ data_version: version, created_at: sql`now()` })
    .where('view_key', '=', key)
    .where('data_version', '=', previous.version)
    .where(olderThan('data_version', version))
    .executeTakeFirst()
  return numUpdatedRows > 0n
}

/** Whether `positions` place every node of the graph and no other. */
function placesExactly(graph: Pick<Graph, 'nodes'>, positions: Positions): boolean {
  let n = 0
  for (const _ in positions) n++
  return n === graph.nodes.length && graph.nodes.every((node) => Object.hasOwn(positions, node.id))
}

function placedShare(graph: Pick<Graph, 'nodes'>, positions: Positions): number {
  if (graph.nodes.length === 0) return 0
  let placed = 0
  for (const n of graph.nodes) if (positions[n.id]) placed++
  return placed / graph.nodes.length
}

/**
 * `cached`: stored for this state of the register; `computed`: computed while the request waited;
 * `previous`: being computed, and meanwhile the positions last stored for the same view of
 * another state of the register or another day (covering PREVIOUS_COVERS of its nodes);
 * `pending`: being computed, with no such places.
 */
export type LayoutState = 'cached' | 'computed' | 'previous' | 'pending'

/**
 * The positions last stored for this view (the same node types and neighbourhood) of an earlier
 * state of the register, of any day, this view's own day first. Served while a layout
 * is computed: the whole register's took two minutes of a core at 200 000 contacts, and the page
 * meanwhile laid its groups out itself (2–3 s of the browser's time); the old places are as good
 * a picture, with the nodes added since placed beside their links by the page. The same day's are
 * also where a new layout starts (keepPlaces).
 */
async function previousLayout(db: Executor, key: string): Promise<Previous | undefined> {
  const row = await db
    .selectFrom('network_layout_cache')
    .select(['view_key', 'data_version', 'positions'])
    .where('view_key', 'like', sameViewPattern(key))
    .orderBy(sql`view_key = ${key}`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return undefined
  return { positions: parsedPositions(row.positions), sameDay: row.view_key === key, version: row.data_version }
}

interface Previous {
  positions: Positions
  /** The state of the register they were stored for. */
  version: string
  /** Of this view's own day (a layout starts from these; another day's are only shown meanwhile). */
  sameDay: boolean
}

/** A LIKE pattern for the keys of this view on any day: `fa2:v2|<day>|<types>[|around:…]`. */
function sameViewPattern(key: string): string {
  const [prefix, , ...rest] = key.split('|')
  return `${prefix}|%|${rest.join('|').replace(/[\\%_]/g, (ch) => '\\' + ch)}`
}

async function storedLayout(db: Executor, key: string, version: string): Promise<Positions | undefined> {
  const row = await db.selectFrom('network_layout_cache').select(['positions']).where('view_key', '=', key).where('data_version', '=', version).executeTakeFirst()
  return row ? parsedPositions(row.positions) : undefined
}

/** A stored `positions` column: parsed by pg, or JSON text from PGlite. */
const parsedPositions = (value: unknown): Positions => (typeof value === 'string' ? JSON.parse(value) : value) as Positions

const lapsed = sql<Date>`now() - make_interval(secs => ${LAYOUT_CLAIM_TTL_S})`

/** Claims the layout of this key and version: true when this instance is to compute it (no claim yet, or a lapsed one). */
async function claim(db: Executor, key: string, version: string): Promise<boolean> {
  const row = await db
    .insertInto('network_layout_claims')
    .values({ view_key: key, data_version: version })
    .onConflict((oc) => oc.columns(['view_key', 'data_version']).doUpdateSet({ claimed_at: sql`now()` }).where('network_layout_claims.claimed_at', '<', lapsed))
    .returning('view_key')
    .executeTakeFirst()
  return row !== undefined
}

/** Computes the layout if this instance wins the claim; otherwise waits for the instance that did (or takes over its lapsed claim). */
async function layoutOnce(db: Executor, graph: Graph, key: string, version: string, signal: AbortSignal, previous: Promise<Previous | undefined>): Promise<Positions> {
  for (;;) {
    if (await claim(db, key, version)) return computeAndStore(db, graph, key, version, signal, previous)
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      if (signal.aborted) throw new LayoutSuperseded()
      const positions = await storedLayout(db, key, version)
      if (positions) return positions
      const held = await db.selectFrom('network_layout_claims').select('view_key').where('view_key', '=', key).where('data_version', '=', version).where('claimed_at', '>=', lapsed).executeTakeFirst()
      // Given up (its layout failed) or lapsed: claim it again.
      if (!held) break
    }
  }
}

/** A stored data version older than `version` (a row not in decimal, from before the data version, counts as older). */
const olderThan = (column: string, version: string) =>
  sql<boolean>`(case when ${sql.ref(column)} ~ '^[0-9]+$' then ${sql.ref(column)}::numeric < ${version}::numeric else true end)`

async function computeAndStore(db: Executor, graph: Graph, key: string, version: string, signal: AbortSignal, previous: Promise<Previous | undefined>): Promise<Positions> {
  const renew = setInterval(() => {
    db.updateTable('network_layout_claims').set({ claimed_at: sql`now()` }).where('view_key', '=', key).where('data_version', '=', version).execute().catch(() => {})
  }, (LAYOUT_CLAIM_TTL_S * 1000) / 4)
  try {
    // Stopped while it claimed (a view of a newer state began): no worker, and not counted.
    if (signal.aborted) throw new LayoutSuperseded()
    computed++
    // The same view of an earlier state of the register today: its places are kept (keepPlaces).
    const start = await previous.catch(() => undefined)
    let positions: Positions
    if (start?.sameDay && (await keptAsOf(db, graph, key, start, version))) positions = start.positions
    else {
      positions = await layoutInWorker(graph, signal, start?.sameDay ? start.positions : undefined)
      // Stopped for a newer one while it ran: storing it would delete the newer one's row.
      if (signal.aborted) throw new LayoutSuperseded()
      const json = JSON.stringify(positions)
      // Over the row of an older state of this view (its places, kept by keepPlaces, are in these);
      // a newer one (stored meanwhile, here or by another instance) is kept, and not overwritten.
      await db
        .insertInto('network_layout_cache')
        .values({ view_key: key, data_version: version, positions: json })
        .onConflict((oc) => oc.column('view_key').doUpdateSet({ data_version: version, positions: json, created_at: sql`now()` }).where(olderThan('network_layout_cache.data_version', version)))
        .execute()
    }
    // Then what is of no use any more: this view's rows of other days, older, and any view's of an
    // older state not laid out for two days. Not every older row: other views' places are where their next
    // layouts start and what they show meanwhile (an ego network's, small and stored first after
    // a write, took the whole register's with it). Each statement on its own: two instances
    // storing at once must not wait for each other's rows.
    await db.deleteFrom('network_layout_cache').where('view_key', 'like', sameViewPattern(key)).where('view_key', '<>', key).where(olderThan('data_version', version)).execute()
    await db.deleteFrom('network_layout_cache').where('created_at', '<', sql<Date>`now() - interval '2 days'`).where(olderThan('data_version', version)).execute()
    await db.deleteFrom('network_layout_claims').where(olderThan('data_version', version)).execute()
    return positions
  } catch (err) {
    // Another instance (or the next request) may try again at once.
    await db.deleteFrom('network_layout_claims').where('view_key', '=', key).where('data_version', '=', version).execute().catch(() => {})
    throw err
  } finally {
    clearInterval(renew)
  }
}
