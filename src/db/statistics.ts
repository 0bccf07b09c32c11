import { sql } from 'kysely'
import type { Logger } from 'pino'
import { repeatEvery } from '../jobs/repeat.ts'
import { safeError } from '../log.ts'
import { letOthersIn } from './turns.ts'
import { inTransaction, type Executor } from './write.ts'

/**
 * Refreshes the planner's statistics after a bulk load (an import, the demo seed, a restore).
 * Without them PostgreSQL plans a table of 100 000 rows as if it were empty or as it was before
 * (it chose a county index and scanned everything); autovacuum gets there eventually on a
 * server, and never on the embedded engine. A few hundred milliseconds for a large table.
 * Tables by name, `schema.table` outside public (our own, never user input); the whole database
 * when none are given.
 *
 * Then merges the pending lists of the tables' GIN indexes (mergePendingLists): a bulk load
 * leaves entries there that every search would otherwise read.
 *
 * `target` samples fewer rows (300 × target; PostgreSQL's default is 100) for this refresh only
 * (`set local`: on the embedded database the setting would otherwise stay on everyone's single
 * session). It makes ANALYZE that much shorter where it holds everyone up.
 */
export async function refreshStatistics(db: Executor, tables: readonly string[] = [], opts: { target?: number } = {}): Promise<void> {
  const analyze = (ex: Executor) => (tables.length === 0 ? sql`analyze`.execute(ex) : sql`analyze ${sql.join(tables.map((t) => sql.id(...t.split('.'))))}`.execute(ex))
  if (!opts.target) await analyze(db)
  else {
    const target = Math.max(1, Math.min(10_000, Math.trunc(opts.target)))
    await inTransaction(db, async (tx) => {
      await sql`set local default_statistics_target = ${sql.raw(String(target))}`.execute(tx)
      await analyze(tx)
    })
  }
  await mergePendingLists(db, tables)
}

/**
 * Merges what waits in the pending lists of the tables' GIN indexes (all of ours when none are
 * given), as a vacuum would. New entries wait there, unsorted, until a list outgrows its limit
 * (64 kB: migration 20261205T2240_gin_short_pending_lists) or a vacuum merges it, and every search
 * through the index reads the whole list meanwhile. A bulk load leaves up to a limit's worth in each;
 * the embedded engine never vacuums on its own. Only indexes this user owns (the function's own
 * rule, as VACUUM's).
 */
export async function mergePendingLists(db: Executor, tables: readonly string[] = []): Promise<void> {
  const of = tables.length === 0 ? sql`i.indrelid in (select oid from pg_class where relnamespace = 'public'::regnamespace)` : sql`i.indrelid = any(${sql.val(tables)}::regclass[])`
  await sql`select gin_clean_pending_list(i.indexrelid::regclass) from pg_index i join pg_class c on c.oid = i.indexrelid
    join pg_am a on a.oid = c.relam where a.amname = 'gin' and pg_has_role(c.relowner, 'usage') and ${of}`.execute(db)
}

/**
 * The statistics target of a refresh on the embedded database: a sample of 9 000 rows instead of
 * 30 000 (still more values than the 21 counties or the kinds), as ANALYZE holds everyone's
 * connection there.
 */
export const PGLITE_STATISTICS_TARGET = 30

/**
 * PostgreSQL's autovacuum decides by these (its defaults): ANALYZE a table once more than 50 rows
 * + 10 % of it changed since its last statistics, VACUUM it once more than 50 + 20 % of its rows
 * are dead versions.
 */
const ANALYZE_BASE = 50
const ANALYZE_SHARE = 0.1
const VACUUM_BASE = 50
const VACUUM_SHARE = 0.2
/**
 * And VACUUM it once more than 1 000 rows + 20 % of it were inserted since its last vacuum
 * (autovacuum_vacuum_insert_threshold and _scale_factor, PostgreSQL 13 on): a table only ever
 * added to (the audit log, participations, interactions) has no dead versions, and without it was
 * never vacuumed. Its pages were then never marked all-visible, so an index-only scan still read
 * every row from the table, and its rows were never frozen.
 */
const VACUUM_INSERT_BASE = 1000
const VACUUM_INSERT_SHARE = 0.2
/**
 * The embedded engine forgets those counts when it stops, and a bulk load in another process (a
 * restore, the bench's generator) leaves none: a table is also vacuumed once more than 4 pages +
 * 20 % of it are not marked all-visible (by its last VACUUM or ANALYZE; writes do not lower the
 * figure, so this asks again only after the next ANALYZE saw them).
 */
const INVISIBLE_PAGES_BASE = 4
const INVISIBLE_PAGES_SHARE = 0.2
/** Pages grown or shrunk since the last statistics (4 pages + 10 %), for changes whose counts were lost. */
const PAGES_BASE = 4
const PAGES_SHARE = 0.1

export interface StaleTable {
  schema: string
  table: string
  analyze: boolean
  vacuum: boolean
  /**
   * The vacuum is asked by the table's pages not marked all-visible or its freeze age alone, not
   * by counted changes: a vacuum cannot clear either past a snapshot older than the rows (a long
   * backup, a session idle in a transaction), and the table would be asked for again at once.
   */
  byState: boolean
  /**
   * Grown or shrunk by more than PAGES_BASE pages since its statistics, under the share that asks
   * for an ANALYZE: a VACUUM alone would make its page count current (pg_class.relpages, which the
   * rule compares with) and so forget that growth. The upkeep analyses such a table when it vacuums it.
   */
  resized: boolean
}

/**
 * How long the upkeep leaves a table be after it vacuumed it for its state alone (StaleTable.byState:
 * no vacuum meanwhile), or after the table failed (nothing meanwhile: a lock it cannot get, an index
 * it cannot read would otherwise be tried and logged every check).
 */
export const UPKEEP_REST_MS = 10 * 60_000

/** What the upkeep last did to a table that is to rest (UPKEEP_REST_MS): when (performance.now()), and whether it failed. */
export type Rests = Map<string, { at: number; failed: boolean }>

/**
 * The tables whose planner statistics are behind their rows, or that are due a vacuum, by
 * autovacuum's rules: changes counted since the last ANALYZE, dead versions, rows inserted since
 * the last VACUUM, the freeze age, and — because the embedded engine forgets those counts when it
 * stops — a table that has grown or shrunk by more than 10 % in pages since its statistics were
 * taken, or most of whose pages are not marked all-visible.
 */
export async function staleTables(db: Executor, opts: { freezeAge?: number } = {}): Promise<StaleTable[]> {
  // The oldest transaction id a table (or its TOAST table) still holds unfrozen, by how many
  // transactions ago it was: past autovacuum_freeze_max_age (200 million by default) autovacuum
  // vacuums a table whatever its counts say, and so does this. A long-lived embedded register
  // would otherwise come to refuse every write to protect itself against transaction id
  // wraparound (the counts above never ask for it on a table only ever added to, and the engine
  // forgets them when it stops).
  const freezeAge = opts.freezeAge === undefined ? sql`current_setting('autovacuum_freeze_max_age')::bigint` : sql.lit(Math.trunc(opts.freezeAge))
  const { rows } = await sql<{ schema: string; table: string; analyze: boolean; counted: boolean; state: boolean; resized: boolean }>`
    select schema, "table", (mods > ${sql.lit(ANALYZE_BASE)} + ${sql.lit(ANALYZE_SHARE)} * tuples
        or abs(pages - relpages) > ${sql.lit(PAGES_BASE)} + ${sql.lit(PAGES_SHARE)} * relpages) as analyze,
      (dead > ${sql.lit(VACUUM_BASE)} + ${sql.lit(VACUUM_SHARE)} * tuples
        or inserted > ${sql.lit(VACUUM_INSERT_BASE)} + ${sql.lit(VACUUM_INSERT_SHARE)} * tuples) as counted,
      (relpages - visible > ${sql.lit(INVISIBLE_PAGES_BASE)} + ${sql.lit(INVISIBLE_PAGES_SHARE)} * relpages
        or xid_age > ${freezeAge}) as state,
      abs(pages - relpages) > ${sql.lit(PAGES_BASE)} as resized
    from (
      select s.schemaname as schema, s.relname as "table", s.n_mod_since_analyze as mods, s.n_dead_tup as dead,
        s.n_ins_since_vacuum as inserted, greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)) as xid_age,
        greatest(c.reltuples, 0) as tuples, greatest(c.relpages, 0) as relpages, c.relallvisible as visible,
        pg_relation_size(c.oid) / current_setting('block_size')::int as pages
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid left join pg_class t on t.oid = c.reltoastrelid
      -- Tables with rows of their own (a partitioned table has none: its relfrozenxid is 0, whose
      -- age is the greatest there is, and pg-boss partitions its jobs), that this user may
      -- vacuum and analyse (its owner's role, or the database's owner's, as VACUUM allows: the
      -- migrations may have run as another role), and not another session's temporary tables.
      where c.relkind in ('r', 'm') and c.relpersistence <> 't'
        and (pg_has_role(c.relowner, 'usage') or pg_has_role((select datdba from pg_database where datname = current_database()), 'usage'))
    ) t
    order by schema, "table"`.execute(db)
  return rows
    .filter((r) => r.analyze || r.counted || r.state)
    .map(({ schema, table, analyze, counted, state, resized }) => ({ schema, table, analyze, vacuum: counted || state, byState: state && !counted, resized }))
}

/**
 * Does what autovacuum does on a PostgreSQL server, where nothing else does (the embedded engine;
 * a server with autovacuum off): brings the planner's statistics up to date, and vacuums, the
 * tables that everyday writes have changed (staleTables). The embedded engine has no
 * autovacuum, so its statistics stayed as the first ANALYZE left them. A table of interactions
 * analysed while empty was planned as one row forever: with 336 interactions the contacts list's
 * "last engaged" read scanned them 16 800 times, 0.4–0.6 s per page instead of 6 ms, and behind
 * it every request on the one connection (bench/README.md, *Statistics that never refresh*).
 * A table at a time, with a turn for others between. Returns the tables refreshed.
 *
 * The sample is smaller on the embedded engine only (PGLITE_STATISTICS_TARGET), where ANALYZE holds
 * everyone's one connection; a server samples as it would for autovacuum (its own
 * default_statistics_target), as the import's refresh does.
 *
 * `rests`: the tables to leave be for now (UPKEEP_REST_MS), kept from check to check by
 * keepStatisticsFresh. `failed`: where a table's failure is added, the others still seen to;
 * without it the first failure is thrown. `freezeAge`: for tests, instead of the server's.
 */
export async function upkeepStatistics(
  db: Executor,
  engine: 'pglite' | 'postgres',
  opts: { freezeAge?: number; rests?: Rests; failed?: { table: string; err: Error }[] } = {},
): Promise<string[]> {
  const done: string[] = []
  const refresh = engine === 'pglite' ? { target: PGLITE_STATISTICS_TARGET } : {}
  const now = performance.now()
  for (const [name, rest] of opts.rests ?? []) if (now - rest.at >= UPKEEP_REST_MS) opts.rests!.delete(name)
  for (const t of await staleTables(db, opts)) {
    const name = `${t.schema}.${t.table}`
    const rest = opts.rests?.get(name)
    if (rest?.failed) continue
    // Vacuumed for its state alone a moment ago: an older snapshot may be what keeps it so (StaleTable.byState).
    const vacuum = t.vacuum && !(t.byState && rest)
    const analyze = t.analyze || (vacuum && t.resized)
    if (!analyze && !vacuum) continue
    await letOthersIn()
    try {
      if (analyze) await refreshStatistics(db, [name], refresh)
      // VACUUM cannot run inside a transaction; it keeps the statistics ANALYZE just took (and merges
      // the GIN pending lists as refreshStatistics does).
      if (vacuum) await sql`vacuum ${sql.id(t.schema, t.table)}`.execute(db)
    } catch (err) {
      // One table (dropped meanwhile: pg-boss drops old partitions) does not hold up the others.
      if (!opts.failed) throw err
      opts.failed.push({ table: name, err: err as Error })
      opts.rests?.set(name, { at: performance.now(), failed: true })
      continue
    }
    if (vacuum && t.byState) opts.rests?.set(name, { at: performance.now(), failed: false })
    done.push(name)
  }
  return done
}

/**
 * How often the embedded database's statistics are checked. Autovacuum looks every minute; a check
 * here is one read of the statistics views (4.5 ms on the embedded engine), and a minute of stale
 * statistics was a minute of the slow plan (bench/README.md).
 */
export const UPKEEP_EVERY_MS = 10_000

/**
 * Whether this database keeps its own statistics: a PostgreSQL server with autovacuum on (the
 * default, and on every managed offer). Not the embedded engine, which has none, nor a server
 * whose autovacuum was switched off — the benchmark machine's was, and the contacts list there
 * went from 40 to 240 ms as interactions grew (bench/README.md, *Statistics that never refresh*).
 */
export async function keepsOwnStatistics(db: Executor, engine: 'pglite' | 'postgres'): Promise<boolean> {
  if (engine === 'pglite') return false
  const { rows } = await sql<{ on: boolean }>`select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on' as on`.execute(db)
  return rows[0]?.on ?? false
}

/**
 * Checks at once and then `everyMs` after each check (src/start.ts, where the database does not
 * keep its own statistics: see keepsOwnStatistics); checks never overlap. A check that finds
 * nothing stale costs one read of the statistics views. Two instances on one server may both
 * refresh a table now and then: ANALYZE twice is harmless, and the second usually finds the table
 * fresh.
 */
export function keepStatisticsFresh(db: Executor, engine: 'pglite' | 'postgres', log: Logger, everyMs = UPKEEP_EVERY_MS): { stop(): Promise<void> } {
  const rests: Rests = new Map()
  return repeatEvery(everyMs, async () => {
    try {
      const failed: { table: string; err: Error }[] = []
      const refreshed = await upkeepStatistics(db, engine, { rests, failed })
      if (refreshed.length) log.debug({ tables: refreshed }, 'statistics refreshed')
      for (const f of failed) log.warn({ table: f.table, err: safeError(f.err) }, 'statistics upkeep failed for a table')
    } catch (err) {
      log.warn({ err: safeError(err as Error) }, 'statistics upkeep failed')
    }
  })
}
