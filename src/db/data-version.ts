import { sql } from 'kysely'
import { outlivesRequest } from './client-gone.ts'
import type { Executor } from './write.ts'

/**
 * The data version (migrations/20261203T1620_data_version.ts): a number that every committed
 * write to a table that plan progress or the dashboard reads makes larger, in the writer's own
 * transaction. Read at the start of a computation, it names the data the computation sees.
 */
export async function dataVersion(db: Executor): Promise<bigint> {
  const { rows } = await sql<{ v: string }>`select coalesce(sum(n), 0)::text as v from data_version`.execute(db)
  return BigInt(rows[0]!.v)
}

interface Entry {
  version: bigint
  value: Promise<unknown>
}

/** At most this many results are kept per database, all of the newest version seen. */
const MAX_ENTRIES = 200

const caches = new WeakMap<object, { newest: bigint; entries: Map<string, Entry>; computed: number }>()

function cacheOf(db: Executor) {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = { newest: 0n, entries: new Map(), computed: 0 }))
  return cache
}

/** How many times `versioned` computed for this database (not served from the cache): for tests. */
export function computations(db: Executor): number {
  return caches.get(db)?.computed ?? 0
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
 *
 * Results are shared between requests: callers must not modify them.
 */
export async function versioned<T>(db: Executor, key: string, compute: (db: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return compute(db)
  const cache = cacheOf(db)
  const version = await dataVersion(db)
  forgetOlder(cache, version)
  const hit = cache.entries.get(key)
  if (hit && hit.version === version) return hit.value as Promise<T>
  const entry: Entry = { version, value: Promise.resolve() }
  // Shared with the requests that ask meanwhile: it must not stop when the first asker's client goes.
  entry.value = outlivesRequest(() =>
    db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx) => {
        const seen = await dataVersion(tx)
        const value = await compute(tx)
        entry.version = seen
        return value
      }),
  )
  cache.computed++
  cache.entries.set(key, entry)
  if (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!)
  entry.value.catch(() => {
    if (cache.entries.get(key) === entry) cache.entries.delete(key)
  })
  return entry.value as Promise<T>
}

/** Results of an older version can never be asked for again: a newer one has been seen. */
function forgetOlder(cache: { newest: bigint; entries: Map<string, Entry> }, version: bigint) {
  if (version <= cache.newest) return
  cache.newest = version
  for (const [key, entry] of cache.entries) if (entry.version < version) cache.entries.delete(key)
}
