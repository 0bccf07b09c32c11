import { sql } from 'kysely'
import { within } from '../within.ts'
import { outlivesRequest } from './client-gone.ts'
import { behindOthers } from './turns.ts'
import type { Executor } from './write.ts'

/**
 * The data version (migrations/20261203T1620_data_version.ts): a number that every committed
 * write to a table that plan progress or the dashboard reads makes larger, in the writer's own
 * transaction. Read at the start of a computation, it names the data the computation sees.
 * With a `scope`, the sum of the scope's counters alone.
 */
export async function dataVersion(db: Executor, scope?: Scope): Promise<bigint> {
  const { rows } = scope
    ? await sql<{ v: string }>`select coalesce(sum(n), 0)::text as v from data_version where tbl = any(${sql.val([...scope.counters])}::text[])`.execute(db)
    : await sql<{ v: string }>`select coalesce(sum(n), 0)::text as v from data_version`.execute(db)
  return BigInt(rows[0]!.v)
}

/**
 * The data version of each table (20261207T0200_table_versions): how many statements have written
 * it, as dataVersion counts them all — and of the columns that count on their own
 * (`contacts:deleted_at`, `organisations:deleted_at`, `organisations:parent_id`: moved only by a
 * statement that changes the value, by a delete, and the parent's by an insert). A table never
 * written since has none (0). `namedOf(table)`: a table's version as NAMED follows it, its own
 * counter and its names' (`contacts:names`) but not its details' (`<table>:details`, APART): what
 * the network reads of it.
 */
export async function tableVersions(db: Executor): Promise<{ namedOf: (table: string) => bigint; sumOf: (scope: Scope) => bigint }> {
  const { rows } = await sql<{ tbl: string; v: string }>`select tbl, sum(n)::text as v from data_version group by tbl`.execute(db)
  const counters = new Map(rows.map((r) => [r.tbl, BigInt(r.v)]))
  const named = new Map(counters)
  for (const [counter, v] of counters) {
    const apart = APART.find((suffix) => counter.endsWith(suffix))
    if (!apart) continue
    const table = counter.slice(0, -apart.length)
    if (NAMED.counters.includes(counter)) named.set(table, (named.get(table) ?? 0n) + v)
  }
  const sumOf = (scope: Scope) => scope.counters.reduce((sum, c) => sum + (counters.get(c) ?? 0n), 0n)
  return { namedOf: (table) => named.get(table) ?? 0n, sumOf }
}

/**
 * The tables whose every write makes the data version larger: a trigger on each
 * (migrations/20261203T1620_data_version.ts and 20261203T1910_data_version_network.ts; a test
 * compares this list with the triggers in the database).
 */
export const VERSIONED_TABLES: ReadonlySet<string> = new Set([
  'plans', 'contacts', 'organisations', 'affiliations', 'activities', 'activity_participants', 'segments',
  'alliances', 'alliance_members', 'alliance_status_changes', 'bodies', 'body_seats', 'newsletter_subscriptions',
  'projects', 'project_partners', 'themes', 'organisation_relationships',
])

/**
 * What a cached result depends on, narrower than the whole data version: the counters whose sum is
 * its version (each only grows, so the sum does). Results of different scopes are kept apart.
 */
export interface Scope {
  name: string
  counters: readonly string[]
}

/**
 * Counters of a table's writes that the scopes below leave out: `<table>:details`, updates of
 * people, organisations and activities that changed only contact details, notes or descriptions
 * (20261207T1400_details_counted_apart), and `contacts:names`, updates of people that changed a name
 * and nothing counted (20261207T1500_names_counted_apart). The data version includes them; a
 * table's version as the network follows it (tableVersions' namedOf) its names but not its details.
 */
const APART = [':details', ':names']

/**
 * Counts that name nobody (plan progress counts, the dashboard's figures): every table the data
 * version follows, but not a person's name nor the details of people, organisations and activities corrected (APART:
 * a person's e-mail address corrected had the dashboard counted again, 6–10 s of CPU at 200 000
 * contacts). What is counted under it must not read those columns (tests/plans/counted-scope.test.ts
 * reads the plans of every count for them).
 */
export const COUNTED: Scope = { name: 'counted', counters: [...VERSIONED_TABLES] }

/**
 * What names people but reads none of their other details (plan progress, the network graph):
 * COUNTED and people's names (`contacts:names`), not an e-mail address, phone number or notes
 * corrected, nor an organisation's or an activity's details. The same test reads their statements.
 */
export const NAMED: Scope = { name: 'named', counters: [...VERSIONED_TABLES, 'contacts:names'] }

/** Counts kept per database for countAtVersion, all of one version; at most this many. */
const MAX_COUNTS = 100
const counts = new WeakMap<object, { version: bigint; byKey: Map<string, number> }>()

/**
 * A count of rows of VERSIONED_TABLES only (a list page's total), kept until the data version
 * moves: `key` must name everything else it depends on (the statement and its parameters). The
 * count is made after the version is read, so it holds at least every write that version counts;
 * a write committed since has made the version larger, and nobody reads this one for it. Apart
 * from `versioned`'s results, so that many lists' counts never push out a plan's progress.
 */
export async function countAtVersion(db: Executor, key: string, count: () => Promise<number>): Promise<number> {
  if (db.isTransaction) return count()
  const version = await dataVersion(db)
  let kept = counts.get(db)
  if (!kept || kept.version < version) counts.set(db, (kept = { version, byKey: new Map() }))
  // An older version than the kept one is read only by a request that began before a write.
  if (kept.version !== version) return count()
  const hit = kept.byKey.get(key)
  if (hit !== undefined) return hit
  const n = await count()
  kept.byKey.set(key, n)
  if (kept.byKey.size > MAX_COUNTS) kept.byKey.delete(kept.byKey.keys().next().value!)
  return n
}

interface Entry {
  version: bigint
  value: Promise<unknown>
  /** performance.now() when the computation got its connection, and how long it took once done. */
  startedAt: number
  tookMs?: number
  /** Whether versionedOrLast keeps this result as the key's last one. */
  keptAsLast?: boolean
}

/** A result kept past its version for versionedOrLast: what it was, when its computation began, how long it took. */
interface Last {
  version: bigint
  value: unknown
  at: Date
  tookMs: number
}

/** At most this many results are kept per database and scope, all of the newest version seen. */
const MAX_ENTRIES = 200

/** Last results kept per database and scope for versionedOrLast (the dashboard keeps one a day). */
const MAX_LAST = 20

/**
 * Figures whose last computation took longer than this are served from the last result while
 * they are computed again (versionedOrLast). A small register's dashboard takes a few
 * milliseconds and is always current; at 200 000 contacts it took 5.6 s after each write
 * (bench/README.md, *The dashboard after a write*).
 */
export const SERVE_LAST_AFTER_MS = 250

interface Cache {
  newest: bigint
  entries: Map<string, Entry>
  computed: number
  last: Map<string, Last>
  /** The computation of a key versionedOrLast is waiting for (settled when its result is kept), and when it began. */
  running: Map<string, { done: Promise<void>; since: number }>
  /** Keys whose last computation failed: readers wait for the next one (and see its error) rather than old figures. */
  failed: Set<string>
  /** Whose versions the results are (undefined: the whole data version). */
  scope?: Scope
}

/** Per database, a cache per scope (by name; '' for the whole data version). */
const caches = new WeakMap<object, Map<string, Cache>>()
const serveLastAfterMs = new WeakMap<object, number>()

function cacheOf(db: Executor, scope?: Scope): Cache {
  let ofDb = caches.get(db)
  if (!ofDb) caches.set(db, (ofDb = new Map()))
  let cache = ofDb.get(scope?.name ?? '')
  if (!cache) ofDb.set(scope?.name ?? '', (cache = { newest: 0n, entries: new Map(), computed: 0, last: new Map(), running: new Map(), failed: new Set(), scope }))
  return cache
}

/** How many times `versioned` computed for this database (not served from the cache), in every scope: for tests. */
export function computations(db: Executor): number {
  let n = 0
  for (const cache of caches.get(db)?.values() ?? []) n += cache.computed
  return n
}

/** For tests and benchmarks: from how long a computation on this database counts as slow for versionedOrLast. */
export function serveLastAfter(db: Executor, ms: number): void {
  serveLastAfterMs.set(db, ms)
}

/**
 * A read that is slow to compute (plan progress, the dashboard), cached per data version —
 * consistent across app instances on one PostgreSQL, since the version lives in the database:
 *
 * - The version is read first; a result computed at exactly that version is served. A write
 *   committed since (here or by another instance) has made the version larger, so the next read
 *   misses and computes afresh: never stale after a committed write.
 * - A miss computes in a read-only REPEATABLE READ transaction that reads the version again
 *   first, so the result is keyed by the version of the very snapshot it was computed from.
 * - Concurrent reads of the same key at the same version share one computation (single flight).
 * - `key` names everything else the result depends on (the plan, today's date …), not the viewer:
 *   only results that are the same for every reader may be cached.
 * - Inside a caller's transaction (which may hold its own uncommitted writes) nothing is cached.
 * - `scope`: the version is the sum of the scope's counters only, so the result is computed again
 *   only after a write that one of them counts (COUNTED).
 *
 * Results are shared between requests: callers must not modify them.
 */
export async function versioned<T>(db: Executor, key: string, compute: (db: Executor) => Promise<T>, scope?: Scope): Promise<T> {
  if (db.isTransaction) return compute(db)
  return (await entryFor(db, cacheOf(db, scope), key, compute)).value as Promise<T>
}

/** The entry of `key` at the current version: cached, or its computation started now. */
async function entryFor(db: Executor, cache: Cache, key: string, compute: (db: Executor) => Promise<unknown>, known?: bigint, inTurns = false): Promise<Entry> {
  const version = known ?? (await dataVersion(db, cache.scope))
  forgetOlder(cache, version)
  const hit = cache.entries.get(key)
  if (hit && hit.version === version) return hit
  const entry: Entry = { version, value: Promise.resolve(), startedAt: performance.now() }
  const inSnapshot = () =>
    db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx) => {
        // Timed from here, not from the ask: waiting for a connection is not the count's own cost.
        entry.startedAt = performance.now()
        const seen = await dataVersion(tx, cache.scope)
        const value = await compute(tx)
        entry.version = seen
        entry.tookMs = performance.now() - entry.startedAt
        return value
      })
  // Others' requests in between its statements, and first (behindOthers); labelled with the
  // version read before the first, so the result holds at least every write that version counts.
  const inTurnsOfItsOwn = async () => {
    const value = await behindOthers(() => compute(db))
    entry.tookMs = performance.now() - entry.startedAt
    return value
  }
  // Shared with the requests that ask meanwhile: it must not stop when the first asker's client goes.
  entry.value = outlivesRequest(inTurns ? inTurnsOfItsOwn : inSnapshot)
  cache.computed++
  cache.entries.set(key, entry)
  if (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!)
  entry.value.catch(() => {
    if (cache.entries.get(key) === entry) cache.entries.delete(key)
  })
  return entry
}

export interface Figures<T> {
  value: T
  /** False: the last result, of an older version, while the current one is being computed. */
  current: boolean
  /** For a result that is not current: when its computation began (the moment its snapshot shows). */
  asOf?: Date
}

/**
 * Like `versioned`, for figures that hold no personal data (counts: the dashboard's charts).
 * When the version has moved since the last result, and that result took longer than
 * SERVE_LAST_AFTER_MS to compute, the last result is returned at once, marked not current, while
 * the current one is computed — one computation of a key at a time: writes made meanwhile are
 * counted by the next one, which the next reader starts. `{ current: true }` waits for a count
 * that includes every write committed before it was asked. The caller must say so to the reader.
 * Never for anything that names a person: a stale list could show someone erased, restricted or
 * protected since.
 *
 * `inTurns` (the embedded engine, whose one connection a transaction holds to its end): the count
 * runs statement by statement outside a transaction, so that other requests are answered between
 * its statements rather than after all of them; `compute` should then be made of short statements.
 * Its figures may include writes made while it ran, and are kept as of the version read before.
 * `scope` as for `versioned`.
 */
export async function versionedOrLast<T>(db: Executor, key: string, compute: (db: Executor) => Promise<T>, opts: { current?: boolean; inTurns?: boolean; scope?: Scope } = {}): Promise<Figures<T>> {
  if (db.isTransaction) return { value: await compute(db), current: true }
  const cache = cacheOf(db, opts.scope)
  const slowAfter = serveLastAfterMs.get(db) ?? SERVE_LAST_AFTER_MS
  const slowLast = () => {
    const last = cache.last.get(key)
    return last && last.tookMs > slowAfter && !cache.failed.has(key) ? last : undefined
  }
  const running = cache.running.get(key)
  // A count that has run far longer than the last one took is given up on: readers would otherwise
  // get old figures for as long as it hangs.
  if (running && performance.now() - running.since > Math.max(ABANDON_AFTER_MS, 10 * (cache.last.get(key)?.tookMs ?? 0))) cache.running.delete(key)
  else if (running) {
    const last = slowLast()
    if (last && !opts.current) return { value: last.value as T, current: false, asOf: last.at }
    await running.done
  }
  const version = await dataVersion(db, opts.scope)
  const last = cache.last.get(key)
  // The last result may be current still (its cache entry evicted, or a newer count finished first).
  if (last && last.version >= version) return { value: last.value as T, current: true }
  const entry = await entryFor(db, cache, key, compute, version, opts.inTurns)
  if (!entry.keptAsLast) {
    entry.keptAsLast = true
    const done: Promise<void> = entry.value
      .then(
        (value) => {
          cache.failed.delete(key)
          keepAsLast(cache, key, entry, value)
        },
        () => {
          // The reader who waits for it gets the error; until a count succeeds, readers wait rather than see old figures.
          cache.failed.add(key)
        },
      )
      .finally(() => {
        if (cache.running.get(key)?.done === done) cache.running.delete(key)
      })
    if (entry.tookMs === undefined && !cache.running.has(key)) cache.running.set(key, { done, since: performance.now() })
  }
  const slow = slowLast()
  if (opts.current || entry.tookMs !== undefined || !slow) return { value: (await entry.value) as T, current: true }
  return { value: slow.value as T, current: false, asOf: slow.at }
}

/** A count running this long (or ten times its last duration, if longer) is given up on by versionedOrLast. */
const ABANDON_AFTER_MS = 60_000

/**
 * Waits (up to `ms`) for the counts versionedOrLast runs in the background, for nobody's request:
 * before the database is closed at shutdown, so that none of them is cut off under way.
 */
export async function backgroundCounts(db: Executor, ms: number): Promise<void> {
  const running = [...(caches.get(db)?.values() ?? [])].flatMap((cache) => [...cache.running.values()].map((r) => r.done))
  if (running.length > 0) await within(ms, Promise.all(running), [])
}

function keepAsLast(cache: Cache, key: string, entry: Entry, value: unknown) {
  const kept = cache.last.get(key)
  if (kept && kept.version >= entry.version) return
  cache.last.delete(key)
  // `at`: when the count began, the moment its snapshot shows.
  const tookMs = entry.tookMs ?? 0
  cache.last.set(key, { version: entry.version, value, at: new Date(Date.now() - tookMs), tookMs })
  if (cache.last.size > MAX_LAST) cache.last.delete(cache.last.keys().next().value!)
}

/** Results of an older version can never be asked for again: a newer one has been seen. */
function forgetOlder(cache: { newest: bigint; entries: Map<string, Entry> }, version: bigint) {
  if (version <= cache.newest) return
  cache.newest = version
  for (const [key, entry] of cache.entries) if (entry.version < version) cache.entries.delete(key)
}
