import type { Context } from 'hono'
import { sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { countAtVersion, VERSIONED_TABLES } from '../db/data-version.ts'
import { ONE_PLAN, PLAN_EACH_TIME } from '../db/prepared.ts'
import { keysetPage, rowLimit, toPage, type Keyset, type Page } from '../db/pagination.ts'
import { MANY_ROWS } from '../db/many-rows.ts'
import type { Database } from '../db/schema.ts'
import { untyped, type Executor } from '../db/write.ts'
import { asExport } from '../register/audience.ts'
import { listBase } from '../register/list-query.ts'
import { anyOfArms, commonInSample, DENSE_MATCHES, FUZZY_FILL_BELOW, HIGH_RANKED, highTierOf, manyNamesStart, moreThan, inWalkOrder, restWalkOf, walkOf, WALKED_ENTRIES, WALKED_ROWS, type ExactArms, type RankTiers } from '../register/search-filter.ts'
import { CSV_CHUNK_ROWS, csvResponse } from './csv.ts'
import { listLinks, type ListLinks } from './list-links.ts'
import { queryOf } from './query.ts'
import { parseOrThrow } from './validate.ts'
import { withApiDoc } from './openapi.ts'

/**
 * The list protocol. A resource declares its list once, as data, in its own folder:
 *
 *   export const contactList = defineList({
 *     path: '/contacts',
 *     filters: { county: filter(manyOf(z.enum(COUNTIES)), (v) => sql`county = any(${sql.val(v)})`), … },
 *     sorts: { name: [...nameThenId()], updated: [{ expr: sql`updated_at`, type: 'timestamptz', of: … }, ...nameThenId()] },
 *     defaultSort: 'name',
 *     from: (db, q) => liveOrDeleted(db.selectFrom('contacts').selectAll(), q),
 *     toApi: toApiContact,
 *     csv: { filename: 'contacts.csv', columns: ['id', 'first_name', …] },
 *   })
 *
 * and gets: the query schema (filters + q/limit/cursor/format/sort/dir/deleted, strict), the page
 * function (filters applied, keyset, total), the JSON API handler and the page helper:
 *
 *   api:   .get('/', requireRole('viewer'), listApi(contactList))
 *   page:  const list = readList(c, contactList)
 *          if (list.csv) return list.csv()
 *          render(c, 'contacts/index', { list: list.links, query: list.query, page: await list.page() })
 *
 * A new filter is one entry in `filters`: the API, the page, the CSV export and every link of
 * the list (sort, next page, export) take it from there.
 */
export interface Filter<S extends z.ZodType = z.ZodType> {
  schema: S
  /** The condition for a value that is set (not undefined, not an empty list); none when the repo applies it itself. */
  where?: (value: Exclude<z.output<S>, undefined | null>) => Expression<SqlBool>
  /** A looser condition, tried only when `where` finds nothing. */
  loose?: Filter<S>['where']
  /**
   * Rows only a typo away and not matched by `where` (a ranked search box): the best few of them
   * fill in when `where` finds fewer than FUZZY_FILL_BELOW — typo matches cost more and are noise
   * beside real ones. Asked of the database (the value's corrections); none when nothing is a typo away.
   */
  fuzzy?: (value: Exclude<z.output<S>, undefined | null>, db: Executor) => Promise<{ where: Expression<SqlBool>; rank: Expression<number> } | undefined>
  /** Rows `where` found that the value names exactly: with one of them, no typo matches fill in. */
  exact?: Filter<S>['where']
  /** How well a row matches (higher is better), for the `relevance` order; `withTypos` when typo matches are among the rows. */
  rank?: (value: Exclude<z.output<S>, undefined | null>, withTypos: boolean) => Expression<number>
  /** The rank (without typos) from which a row is one the value names exactly (`exact`), and below which it is not. */
  exactRank?: number
  /**
   * `exact` as conditions each read from its own index in name order (`sort_name`, `id`): with
   * the names many rows may share, and with codes one row has; none for this value (several
   * words). A search's first page that one name fills is then read a page's worth from those
   * indexes, not by ranking every match (searchFirstPage).
   */
  exactArms?: (value: Exclude<z.output<S>, undefined | null>) => ExactArms<Expression<SqlBool>>
  /**
   * The value's rank in tiers (oneWordTiers), when it has them: a first page that many rows match
   * is then read tier by tier — the high tier ranked whole or walked, the rest's first in the
   * length index's order — not by ranking every match (splitRanked).
   */
  tiers?: (value: Exclude<z.output<S>, undefined | null>) => RankTiers | undefined
  /**
   * Its condition is looked up the same way whatever the value, or carries PLAN_EACH_TIME itself
   * where it is not (a search under three characters, a typo's corrections): a statement it is the
   * only filter of may then be prepared (src/db/prepared.ts). Other filters are planned for their
   * value every time.
   */
  plansAlike?: boolean
}

export const filter = <S extends z.ZodType>(schema: S, where?: Filter<S>['where'], loose?: Filter<S>['where']): Filter<S> => ({ schema, where, loose })

/** A search box that ranks (searchFilter in src/register/search-filter.ts): with a value, the list is in order of relevance unless another order is asked for. */
export const rankedFilter = <S extends z.ZodType>(schema: S, search: Required<Pick<Filter<S>, 'where' | 'fuzzy' | 'exact' | 'rank' | 'exactRank'>> & Pick<Filter<S>, 'exactArms' | 'plansAlike' | 'tiers'>): Filter<S> => ({ schema, ...search })

/** The order of a list whose ranked filter (its search box) is set and no other order was asked for: best match first. */
export const RELEVANCE = 'relevance'

/** Counts stop here: a list of more rows says "more than" this (counting them all costs more than the page). */
export const COUNT_CAP = 10_000
/** The column a search's first page carries its matches' count in (searchFirstPage). */
const SEARCH_TOTAL = 'search_total'
/** The column a page read in tiers carries how many of its rows were read in full or in order (splitRanked). */
const TIERS_FOUND = 'tiers_found'
/** The column a page read in tiers carries how many rows of the high tier it ranked whole (splitRanked). */
const HIGH_SEEN = 'high_seen'

type Filters = Record<string, Filter>
type Dir = 'asc' | 'desc'

export type ListQuery<F extends Filters, S extends string> = {
  limit: number
  cursor?: string | undefined
  format?: 'json' | 'csv' | undefined
  /** Resolved by readList (sortOf): never undefined in a route. */
  sort: S
  dir: Dir
  deleted?: '1' | undefined
} & { [K in keyof F]: z.output<F[K]['schema']> }

/** `total` is at most COUNT_CAP; `more` when more rows than that match. */
export type ListPage<T> = Page<T> & { total: number; more?: boolean }

export interface ListSpec<F extends Filters, S extends string, Row, Out> {
  /** Where the list page lives: links are built on it. */
  path: string
  filters: F
  /** The keyset of each order; a function when it depends on the query (the direction). */
  sorts: Record<S, Keyset<Row> | ((q: ListQuery<F, S>) => Keyset<Row>)>
  defaultSort: NoInfer<S>
  defaultDir?: Dir
  /** The rows before filters: the table, live or (admin-only, `deleted=1`) deleted. */
  from: (db: Executor, q: ListQuery<F, S>) => SelectQueryBuilder<Database, any, Row>
  /** What each row of a page becomes (related rows added); the row itself otherwise. */
  load?: (db: Executor, rows: Row[]) => Promise<Out[]>
  toApi: (r: Out) => object
  /**
   * Rows the reader may see (people's protected identity and restriction, src/privacy/visibility.ts).
   * `audience` is the reader's role, `public`, or `export` for a file: a call without one gets `export`, the narrowest.
   */
  visible?: (audience: string) => Expression<SqlBool>
  csv: CsvSpec<Out>
}

export interface CsvSpec<Out> {
  filename: string
  columns: readonly string[]
  /** One record as an object holding the columns; the API object by default. */
  row?: (r: Out) => Record<string, unknown>
  /** Instead of `row`, when a listed row is several lines of the file (the audit log: one per changed field). */
  lines?: (r: Out) => Record<string, unknown>[]
  /** Instead of `row`, for columns that need the database (counted once for the whole export). */
  prepare?: (db: Executor, rows: Out[]) => Promise<Record<string, unknown>[]>
  /**
   * The export's own read of the list (`format=csv`), when a page's rows carry more than the file
   * needs: without it an export reads what a page reads (every column, every related row) and
   * makes its records with `row` or `prepare`. Must make the same records as those (csvRead).
   */
  read?: CsvRead<any>
}

/**
 * How an export reads its rows (issue 15, ≥ 20 000 rows/s): `from` is the list's rows before
 * filters with only the columns the file and the list's orders (the keyset parts) need, and
 * `records` makes a chunk's records, reading their related rows once for the chunk.
 */
export interface CsvRead<R> {
  from: (db: Executor, q: ListQuery<Filters, string>) => SelectQueryBuilder<Database, any, R>
  records: (db: Executor, rows: R[]) => Promise<Record<string, unknown>[]>
}

export const csvRead = <R>(read: CsvRead<R>): CsvRead<R> => read

export type List<F extends Filters, S extends string, Row, Out> = ListSpec<F, S, Row, Out> & {
  schema: z.ZodType<ListQuery<F, S>>
  /** The orders' names, for a sort menu. */
  sortNames: readonly S[]
  page(db: Executor, q: ListQuery<F, S>, opts?: { count?: boolean; audience?: string }): Promise<ListPage<Out>>
  /** The whole filtered list in its order, `size` rows (CSV_CHUNK_ROWS) at a time: an export reads it chunk by chunk, never all at once. */
  chunks(db: Executor, q: ListQuery<F, S>, opts?: { audience?: string; size?: number }): AsyncGenerator<Out[]>
  /** The records of the list's CSV export, chunk by chunk (as `chunks`, for an export's audience): objects holding the file's columns. */
  records(db: Executor, q: ListQuery<F, S>, opts?: { size?: number }): AsyncGenerator<Record<string, unknown>[]>
}

export function defineList<F extends Filters, S extends string, Row, Out = Row>(spec: ListSpec<F, S, Row, Out>): List<F, S, Row, Out> {
  const sorts = Object.keys(spec.sorts) as [S, ...S[]]
  const ranks = Object.values(spec.filters).some((f) => f.rank)
  const { q: _search, ...protocol } = listBase
  const schema = z.strictObject({
    ...protocol,
    ...Object.fromEntries(Object.entries(spec.filters).map(([k, f]) => [k, f.schema])),
    // No order asked for: by relevance when the search box is filled in, the list's default otherwise (sortOf).
    sort: z.enum(ranks ? [...sorts, RELEVANCE] : sorts).optional(),
    dir: z.enum(['asc', 'desc']).default(spec.defaultDir ?? 'asc'),
    deleted: z.enum(['1']).optional(),
  }) as unknown as z.ZodType<ListQuery<F, S>>
  const visibleTo = (audience: string | undefined) => <Q extends SelectQueryBuilder<Database, any, any>>(b: Q): Q => (spec.visible ? (b.where(spec.visible(audience ?? 'export')) as Q) : b)
  const looseSet = (q: ListQuery<F, S>) => Object.entries(spec.filters).some(([k, f]) => f.loose && isSet(q[k]))
  // The filtered rows and their order, counted when asked (a page) or when the search needs it;
  // `known`: a search's precise matches, counted already, none of them exact (searchFirstPage).
  async function plan(db: Executor, q: ListQuery<F, S>, opts: { count?: boolean; audience?: string; from?: ListSpec<F, S, Row, Out>['from'] }, known?: { total: number }) {
    const visible = visibleTo(opts.audience)
    const from = opts.from ?? spec.from
    const search = searchOf(spec.filters, q)
    const loose = looseSet(q)
    let base = visible(filtered(from(db, q), spec.filters, q))
    let total = known ? known.total : opts.count === false && !loose && !search ? undefined : await countOf(db, base, { cached: !Object.keys(spec.filters).some((k) => isSet(q[k])) })
    if (loose && total === 0) {
      base = visible(filtered(from(db, q), spec.filters, q, { loose: true }))
      total = await countOf(db, base)
    }
    let withTypos = false
    const typo = search && total! < FUZZY_FILL_BELOW && !(total! > 0 && !known && (await anyExact(base, search))) ? await search.fuzzy(db) : undefined
    if (search && typo) {
      // Few precise matches, none of them exact: the best typo matches fill in, up to
      // FUZZY_FILL_BELOW rows in all (never a count or a sort over every row a typo away from a common word).
      const typos = await visible(filtered(from(db, q), spec.filters, q, { fuzzy: { name: search.name, where: typo.where } }))
        .clearSelect()
        .select('id')
        .orderBy(sql`${typo.rank} desc`)
        .orderBy(sql`sort_name`)
        .orderBy(sql`id`)
        .limit(FUZZY_FILL_BELOW - total!)
        .execute()
      if (typos.length) {
        const ids = typos.map((r) => (r as { id: string }).id)
        withTypos = true
        base = visible(filtered(from(db, q), spec.filters, q, { orIds: { name: search.name, ids } }))
        total = total! + ids.length
      }
    }
    return { ...ordered(q, base, search, withTypos), total, withTypos }
  }
  // The list's order: by relevance (the rank selected as `search_rank`, negated) or the one asked for.
  function ordered<Q extends SelectQueryBuilder<Database, any, any>>(q: ListQuery<F, S>, base: Q, search: ReturnType<typeof searchOf>, withTypos: boolean) {
    const sort = sortOf(spec, q)
    const ranked = sort === RELEVANCE ? search : undefined
    if (!ranked) {
      const k = spec.sorts[sort === RELEVANCE ? spec.defaultSort : (sort as S)]
      const keys: Keyset<Row> = typeof k === 'function' ? k(q) : k
      return { base, keys, dir: q.dir }
    }
    // Best first; equal scores in name order. Negated, so that every key part runs ascending.
    const rank = sql<number>`(-(${ranked.rank(withTypos)})::float8)`
    const keys: Keyset<Row> = [
      { expr: rank, type: 'float8', of: (r: Row) => String((r as { search_rank: number }).search_rank) },
      { expr: sql`sort_name`, of: (r: Row) => (r as { sort_name: string }).sort_name },
      { expr: sql`id`, type: 'uuid', of: (r: Row) => (r as { id: string }).id },
    ]
    return { base: base.select(rank.as('search_rank')) as Q, keys, dir: 'asc' as const }
  }
  /**
   * A search's first page, by relevance, read before anything is counted. A search used to send a
   * count, then (under FUZZY_FILL_BELOW matches) whether one is exact, then the page: three
   * statements for the same matches (bench/README.md, *A search's first page counts its matches*).
   * When the page holds every precise match it has counted them, and its first row shows whether
   * one is exact: that is the whole answer (`complete`) unless typo matches may fill in (fewer than
   * FUZZY_FILL_BELOW, none exact); then the general way is spared the count, and the page itself
   * when no typo match is added. A full page carries the count of every match (SEARCH_TOTAL).
   * A page full of rows the value names exactly is read from indexes instead (exactNamedPage):
   * the ranked page is then skipped by a check in the same statement (`common`), so that a word
   * naming few people still costs one statement.
   */
  async function searchFirstPage(db: Executor, q: ListQuery<F, S>, opts: { audience?: string; count?: boolean }): Promise<{ page: Page<Row>; total: number | undefined; complete: boolean } | undefined> {
    const search = searchOf(spec.filters, q)
    if (!search || search.exactRank === undefined || q.cursor || looseSet(q) || sortOf(spec, q) !== RELEVANCE) return undefined
    // The list's rows the reader may see, each filter as `variant` says.
    const rows = (variant?: Variant) => visibleTo(opts.audience)(filtered(spec.from(db, q), spec.filters, q, variant))
    const base = rows()
    const { keys, dir } = ordered(q, base, search, false)
    const arms = q.limit + 1 >= FUZZY_FILL_BELOW && !q.deleted ? search.exactArms() : { names: [], codes: [] }
    // The names read from their indexes alone, the search's own condition checked after: with it,
    // the planner expected few of a name to meet it and read every one (a bitmap of its matches
    // ANDed with the name index, as the general way does).
    const named = arms.names.length > 0 ? rows({ omitted: search.name }) : undefined
    // Counted as it is read: the relevance order ranks every match anyway, and a count sent after
    // it read them all again (bench/README.md, *A full search page counted as it is read*). Ranked
    // and counted on narrow rows, the page's own rows read after (narrowlyRanked).
    const counted = (skip?: Expression<SqlBool>) => narrowlyRanked(db, base, spec.from(db, q), keys, q.limit, skip)
    const everyMatchRanked = async () => {
      const all = counted()
      return (await keysetPage(all.query, all.keys, { limit: q.limit, dir })) as Page<Row>
    }
    let page: Page<Row>
    if (named) {
      // Ranked only when one name alone fills the page (a common surname or first name): whether
      // one does is asked beside the page, each read from its index up to a page's worth. Codes
      // (an e-mail address) name one record each; asked how many all the arms read for every
      // search, the planning cost a rare name a quarter of its throughput (bench/README.md).
      // Each name's people counted up to one more than the page, from its index, once (`offset 0`
      // keeps the counts values): whether one fills the page, and whether the value names anyone.
      const nameCounts = arms.names.map((arm, i) => sql`(select count(*) from (${named.clearSelect().select(sql`1`.as('one')).where(arm).limit(rowLimit(q.limit + 1))}) as named) as ${sql.ref(`named_${i}`)}`)
      const counts = arms.names.map((_, i) => sql.ref(`names.named_${i}`))
      const common = sql<boolean>`(greatest(${sql.join(counts)}) > ${rowLimit(q.limit)})`
      // Many matches and a rank in tiers: the page is read tier by tier (splitRanked), asked only
      // when no name fills it — the high tier walked when names that start with the value are many
      // (14 298 surnames start with "ber" at 200 000 contacts), else ranked whole and the rest walked.
      // Only for the search box alone: with another filter, the walk's rows are those of its index
      // sorted, or the length index's read until enough meet it, as the planner guesses.
      const tiers = Object.keys(spec.filters).every((k) => k === search.name || !isSet(q[k])) ? search.tiers() : undefined
      // Each counted up to a limit, the names' prefixes each a range of its index: asked with
      // `offset`, the planner expected thousands of rows and started two parallel workers for a
      // rare word (8 ms of its 10).
      const manyNames = tiers ? manyNamesStart(named, tiers) : sql<boolean>`false`
      // Many matches: a fragment that is nobody's name or address told from a sample first, and
      // only then counted up to one more than DENSE_MATCHES, whose one plan first read every match
      // (7 of "sson"'s 9.5 ms). A name is counted at once: the commonest search, where the sample's
      // 0.15 ms was a fifth of its PostgreSQL time, and the names' counts say that it names someone.
      const addressed = arms.codes.map((arm) => sql`exists (${named.clearSelect().select(sql`1`.as('one')).where(arm)})`)
      const nobody = sql<boolean>`(${sql.join(counts, sql` + `)} = 0 ${sql.join(addressed.map((a) => sql`and not ${a}`), sql` `)})`
      const sampled = tiers ? sql<boolean>`(${nobody} and ${commonInSample(tiers)})` : sql<boolean>`false`
      const dense = tiers ? moreThan(base, DENSE_MATCHES) : sql<boolean>`false`
      const how = sql<string>`(select case when ${common} then 'common' when ${manyNames} then 'high' when ${sampled} then 'rest' when ${dense} then 'rest' else 'ranked' end
        from (select ${sql.join(nameCounts)} offset 0) as names)`
      const unlessCommon = counted(sql<SqlBool>`flagged.flag = 'ranked'`)
      const ranking = await besideFlag<Row>(db, how, unlessCommon.query, unlessCommon.keys, q.limit)
      page = ranking.page
      if (ranking.flag === 'high' || ranking.flag === 'rest') {
        // The exact rows read from the names' indexes (no name fills the page): walked, the high tier gives only its first.
        const exact = ranking.flag === 'high' ? exactFirsts(named, [...arms.names, ...arms.codes], q.limit) : undefined
        const split = splitRanked(db, { base, walked: named, match: search.where(), tiers: tiers!, exact, rows: spec.from(db, q), keys, limit: q.limit, count: opts.count !== false })
        // On one plan, without parallel workers (src/db/prepared.ts): the high tier is mostly a few
        // rows from four indexes, and two workers started for it took 7 ms of a 21 ms statement.
        const read = (await keysetPage(split.query.modifyEnd(ONE_PLAN), split.keys, { limit: q.limit, dir })) as Page<Row>
        const found = read.data[0] as Record<string, unknown> | undefined
        // Fewer than a page's worth that the tiers read in full or in order (the length index's
        // first rows held too few of a walked tier, whose next ones might belong on the page), or
        // more of a high tier ranked whole than were read: every match ranked after all.
        if (found && Number(found[TIERS_FOUND]) > q.limit && Number(found[HIGH_SEEN]) <= HIGH_RANKED) return { page: read, total: found[SEARCH_TOTAL] == null ? undefined : Number(found[SEARCH_TOTAL]), complete: true }
        page = await everyMatchRanked()
      } else if (ranking.flag === 'common') {
        const firsts = exactFirsts(named, [...arms.names, ...arms.codes], q.limit)
        // The search's own condition only checked there, and that statement is planned once for
        // every value (src/db/prepared.ts).
        const exact = await exactNamedPage(db, ordered(q, rows({ checked: search.name }), search, false).base, firsts, keys, q.limit)
        if (exact) return { page: exact, total: opts.count === false ? undefined : await countOf(db, base), complete: true }
        // A name a page's worth of people have, not all of them shown (a name with a letter only the database folds; exactNamedPage), or
        // fewer of them with the list's other filters: every match ranked after all.
        page = await everyMatchRanked()
      }
    } else page = await everyMatchRanked()
    if (page.next_cursor) return q.limit + 1 >= FUZZY_FILL_BELOW ? { page, total: Number((page.data[0] as Record<typeof SEARCH_TOTAL, string>)[SEARCH_TOTAL]), complete: true } : undefined
    const total = page.data.length
    const top = page.data[0] as { search_rank: number } | undefined
    // Few and none exact: typo matches may fill in.
    return { page, total, complete: total >= FUZZY_FILL_BELOW || (top !== undefined && -Number(top.search_rank) >= search.exactRank) }
  }
  const list: List<F, S, Row, Out> = {
    ...spec,
    schema,
    sortNames: sorts,
    async page(db, q, opts = {}) {
      const first = await searchFirstPage(db, q, opts)
      const { page, total } = first?.complete
        ? first
        : await plan(db, q, opts, first && { total: first.total! }).then(async ({ base, keys, dir, total, withTypos }) => ({
            // No typo match added to the precise ones: the first page read already is this page.
            page: first && !withTypos ? first.page : await keysetPage(base, keys, { cursor: q.cursor, limit: q.limit, dir }),
            total,
          }))
      const data = spec.load ? await spec.load(db, page.data) : (page.data as unknown as Out[])
      const more = total !== undefined && total > COUNT_CAP
      return { data, next_cursor: page.next_cursor, total: more ? COUNT_CAP : (total ?? data.length), ...(more ? { more } : {}) }
    },
    chunks(db, q, opts = {}) {
      return chunked(db, q, { audience: opts.audience, size: opts.size }, async (rows) => (spec.load ? spec.load(db, rows) : (rows as unknown as Out[])))
    },
    records(db, q, opts = {}) {
      const read = spec.csv.read
      if (!read) return chunked(db, q, { audience: 'export', size: opts.size }, async (rows) => csvObjects(db, spec, spec.load ? await spec.load(db, rows) : (rows as unknown as Out[])))
      return chunked(db, q, { audience: 'export', size: opts.size, from: read.from }, (rows) => read.records(db, rows))
    },
  }
  // Filtered, (when searching) counted and ordered once; then read a keyset chunk at a time.
  async function* chunked<T>(db: Executor, q: ListQuery<F, S>, opts: { audience?: string; size?: number; from?: ListSpec<F, S, Row, Out>['from'] }, make: (rows: Row[]) => Promise<T[]>): AsyncGenerator<T[]> {
    const { base, keys, dir } = await plan(db, q, { count: false, audience: opts.audience, from: opts.from })
    let cursor: string | undefined
    do {
      const page = await keysetPage(base, keys, { cursor, limit: opts.size ?? CSV_CHUNK_ROWS, dir })
      yield make(page.data)
      cursor = page.next_cursor ?? undefined
    } while (cursor)
  }
  return list
}

const isSet = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)

interface Variant {
  /** Each filter's loose condition where it has one. */
  loose?: boolean
  /** This filter's typo matches (its condition for the value) instead of its own condition. */
  fuzzy?: { name: string; where: Expression<SqlBool> }
  /** This filter's condition, or one of these rows. */
  orIds?: { name: string; ids: string[] }
  /** This filter's condition checked on each row another condition found, never looked up in an index of its own. */
  checked?: string
  /** This filter left out. */
  omitted?: string
}

function filtered<Q extends SelectQueryBuilder<Database, any, any>>(query: Q, filters: Filters, values: Record<string, unknown>, variant: Variant = {}): Q {
  let q = query
  for (const [name, f] of Object.entries(filters)) {
    if (!isSet(values[name]) || variant.omitted === name) continue
    const typos = variant.fuzzy?.name === name ? variant.fuzzy.where : undefined
    const where = (variant.loose && f.loose) || f.where
    if (!typos && !where) continue
    // A filter's best plan depends on its value (a county of 20 people or of 20 000; a rare tag or a
    // common one): planned for its value every time, never a prepared plan (src/db/prepared.ts),
    // unless it is looked up alike for every value (a search box: Filter.plansAlike).
    const own = typos ?? where!(values[name] as never)
    // Only checked, its value decides no plan of the statement, which may then be prepared (a
    // query under three characters keeps its own mark: preciseMatch).
    const cond = variant.checked === name ? sql<SqlBool>`(${own}) is true` : f.plansAlike ? own : sql<SqlBool>`${own} ${PLAN_EACH_TIME}`
    q = (variant.orIds?.name === name ? q.where(sql<SqlBool>`(${cond} or id = any(${sql.val(variant.orIds.ids)}::uuid[]))`) : q.where(cond)) as Q
  }
  return q
}

/**
 * A search's best `limit` + 1 matches and the count of them all, as a page's rows carrying
 * `search_rank` and SEARCH_TOTAL, with the keyset that orders them (`keys`, the relevance order:
 * rank, sort_name, id, the rank read from the rows rather than computed again). The matches
 * (`base`) are ranked, ordered and counted as narrow rows — id and the keys' values — and only the
 * best are read whole from `rows` (the list's rows: `from`, one table's rows with a unique `id`).
 * Counted and ranked whole, every match's every column went through the count (a window over wide
 * rows, written to disk past work_mem): a fragment such as "sson", 88 666 people at 200 000
 * contacts, took 500 ms where narrow rows take 235 (bench/README.md, *A fragment's matches ranked
 * on narrow rows*). `skip`: a condition under which none is ranked (besideFlag's flag).
 */
function narrowlyRanked<R>(db: Executor, base: SelectQueryBuilder<Database, any, any>, rows: SelectQueryBuilder<Database, any, R>, keys: Keyset<R>, limit: number, skip?: Expression<SqlBool>) {
  // The keys computed below the count (offset 0 keeps the subquery apart), so that the count holds narrow rows.
  const narrow = narrowKeys(base, keys)
    .$if(skip !== undefined, (b) => b.where(skip!))
    .offset(0)
  const best = inKeyOrder(keys, untyped(db).selectFrom(narrow.as('matches')).select(['narrow_id', `${key(0)} as search_rank`, sql<string>`count(*) over ()`.as(SEARCH_TOTAL)])).limit(
    rowLimit(limit + 1),
  )
  return bestRows(db, best, rows, keys, [])
}

const key = (i: number) => `narrow_key_${i}`
/** Narrow rows of a search's matches: the id and the keys' values (narrow_key_0 the rank). */
const narrowKeys = <R>(q: SelectQueryBuilder<Database, any, any>, keys: Keyset<R>) => q.clearSelect().select([sql`id`.as('narrow_id'), ...keys.map((k, i) => sql`${k.expr}`.as(key(i)))])
const inKeyOrder = <R, Q extends SelectQueryBuilder<Database, any, any>>(keys: Keyset<R>, q: Q): Q => keys.reduce((o, _, i) => o.orderBy(key(i)) as Q, q)

/**
 * The list's own rows of the best narrow rows (`best`: narrow_id, search_rank, SEARCH_TOTAL and
 * `more` columns), as they are (a plain table's rows: the subquery is pulled up, each row read by
 * its key), with the keyset that orders them by the rank they carry.
 */
function bestRows<R>(db: Executor, best: SelectQueryBuilder<Database, any, any>, rows: SelectQueryBuilder<Database, any, R>, keys: Keyset<R>, more: string[]) {
  const query = untyped(db)
    .selectFrom(rows.as('listed'))
    .innerJoin(best.as('best'), 'best.narrow_id', 'listed.id')
    .selectAll('listed')
    .select(['best.search_rank', `best.${SEARCH_TOTAL}`, ...more.map((m) => `best.${m}`)]) as unknown as SelectQueryBuilder<Database, any, R>
  return { query, keys: [{ ...keys[0]!, expr: sql`search_rank` }, ...keys.slice(1)] as Keyset<R> }
}

/**
 * A search's best `limit` + 1 matches read in tiers (RankTiers), for a value that many rows
 * match, or that a sample judged common (commonInSample; nothing here depends on how many). The
 * rows below the high tier rank in the length index's order, and so does the high tier below its
 * exact rows: a tier is read in that order from the list (`walked`: its rows, the search aside),
 * the search's condition (`match`) checked on each, until a page's worth of it is read — the rest
 * from those of the index's first WALKED_ENTRIES entries that hold the value, asked of the index
 * alone (restWalkOf), the high tier from its first WALKED_ROWS rows (walkOf). Two ways:
 * - the high tier ranked whole (at most HIGH_RANKED + 1 of its rows read from its own indexes,
 *   highTierOf, HIGH_SEEN saying how many), and the rest walked;
 * - with `exact` (the rows the value names exactly, read from the names' indexes: they rank above
 *   the high tier's others, in whatever order the walk would meet them), the high tier walked,
 *   when it is too many to rank: "ber" starts 14 298 surnames at 200 000 contacts.
 * Either way, the union ranked is the page when TIERS_FOUND, the rows of it that are read in full
 * or in order (the rest's or the high tier's: every row of the tier not read comes after them in
 * its order, and below the tiers above), exceed `limit`; fewer, and the page is to be ranked the
 * general way. SEARCH_TOTAL: the matches counted up to COUNT_CAP + 1 (`count`; null otherwise).
 * Ranked one by one, "sson"'s 88 666 people at 200 000 contacts took ~200 ms of PostgreSQL
 * (bench/README.md, *A fragment's first page read in tiers*).
 */
function splitRanked<R>(
  db: Executor,
  read: { base: SelectQueryBuilder<Database, any, any>; walked: SelectQueryBuilder<Database, any, any>; match: Expression<SqlBool>; tiers: RankTiers; exact?: RawBuilder<unknown>; rows: SelectQueryBuilder<Database, any, R>; keys: Keyset<R>; limit: number; count: boolean },
) {
  const { base, walked, match, tiers, exact, keys, limit } = read
  const page = rowLimit(limit + 1)
  const high = anyOfArms(tiers.high)
  // A tier's first rows in the walk's order, under the table's own name, which the conditions and the keys name.
  const walkedTier = (walk: SelectQueryBuilder<Database, any, any>, tier: Expression<SqlBool>) =>
    narrowKeys(walk.where(match).where(tier), keys).select(sql<string>`0::bigint`.as(HIGH_SEEN)).$call(inWalkOrder).limit(page)
  const arms =
    exact === undefined
      ? [
          // The high tier's rows, HIGH_RANKED + 1 at most, ranked whole under the table's own name.
          inKeyOrder(keys, narrowKeys(untyped(db).selectFrom(highTierOf(db, walked, tiers, match, HIGH_RANKED + 1).as(tiers.table)).selectAll(), keys).select(sql<string>`count(*) over ()`.as(HIGH_SEEN))).limit(page),
          walkedTier(restWalkOf(db, walked, tiers, WALKED_ENTRIES), sql<SqlBool>`${high} is not true`),
        ]
      : [inKeyOrder(keys, narrowKeys(base.where(sql<SqlBool>`id in (select id from ${exact} as exact)`), keys).select(sql<string>`0::bigint`.as(HIGH_SEEN))).limit(page), walkedTier(walkOf(db, walked, tiers, WALKED_ROWS), high)]
  // Walked, the high tier's rows other than the exact ones are read in order only where they
  // rank below them (3 and up: a name that starts with the value); its stems are not.
  const inOrder = exact === undefined ? sql<SqlBool>`true` : sql<SqlBool>`-${sql.ref(key(0))} >= 3`
  // `union`, not `union all`: an exact row the walk met too is one row.
  const both = untyped(db).selectFrom(arms[0]!.as('first')).selectAll().union(untyped(db).selectFrom(arms[1]!.as('second')).selectAll())
  const total = read.count ? sql`(select count(*) from (${base.clearSelect().select(sql`1`.as('one')).limit(COUNT_CAP + 1)}) as counted)` : sql`null::bigint`
  const best = inKeyOrder(
    keys,
    untyped(db)
      .selectFrom(both.as('matches'))
      .select(['narrow_id', `${key(0)} as search_rank`, total.as(SEARCH_TOTAL), sql<string>`count(*) filter (where ${inOrder}) over ()`.as(TIERS_FOUND), sql<string>`max(${sql.ref(HIGH_SEEN)}) over ()`.as(HIGH_SEEN)]),
  ).limit(page)
  return bestRows(db, best, read.rows, keys, [TIERS_FOUND, HIGH_SEEN])
}

/** Whether some row of `q` (fewer than FUZZY_FILL_BELOW) is one the search names exactly. */
async function anyExact(q: SelectQueryBuilder<Database, any, any>, search: NonNullable<ReturnType<typeof searchOf>>): Promise<boolean> {
  const row = await q.clearSelect().clearOrderBy().select(sql<number>`1`.as('one')).where(search.exact()).limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * The rows each of a value's exact arms (Filter.exactArms) reads first from its own index, in name
 * order: `limit` + 1 of them, the most a first page of that many may take from one name.
 */
function exactFirsts(named: SelectQueryBuilder<Database, any, any>, arms: Expression<SqlBool>[], limit: number): RawBuilder<unknown> {
  return sql`(${sql.join(arms.map((arm) => sql`(${named.clearSelect().select(sql`id`.as('id')).where(arm).orderBy(sql`sort_name`).orderBy(sql`id`).limit(rowLimit(limit + 1))})`), sql` union `)})`
}

/**
 * A search's first page when more rows than fill it are ones the value names exactly: those all
 * rank alike, above every other match, and so come in name order (textScore). The page is the
 * best of what the names read first (exactFirsts) that the search's condition holds for
 * (`ranked`, ranked as the general way ranks it). Undefined when they do not fill the page, or
 * when a row they read fails that condition (a name folded otherwise than the searched text is:
 * a letter unaccent folds that foldText keeps: a fullwidth "Ｇ"): the next rows of its name might then belong on the page, and every match
 * is to be ranked. At 200 000 contacts the list searched for a common surname ranked all 2 866
 * matches to show 50 (bench/README.md, *A common surname's list page read from the names*).
 */
async function exactNamedPage<R>(db: Executor, ranked: SelectQueryBuilder<Database, any, any>, firsts: RawBuilder<unknown>, keys: Keyset<R>, limit: number): Promise<Page<R> | undefined> {
  const shown = ranked.select(sql<string>`count(*) over ()`.as('exact_shown')).where(sql<SqlBool>`id in (select id from ${firsts} as firsts)`)
  const { flag: read, page } = await besideFlag<R & { exact_shown: string }>(db, sql<string>`(select count(*) from ${firsts} as firsts)`, shown, keys, limit)
  return page.next_cursor && Number(page.data[0]!.exact_shown) === Number(read) ? page : undefined
}

/**
 * A search's first page (`page`, in the relevance order `keys`: search_rank, sort_name, id) and a
 * value computed once beside it (`flag`, which `page` may name as `flagged.flag`), in one
 * statement: the value comes also when the page is empty. (`offset 0` keeps the value a value:
 * pulled up, it was planned and computed twice, once for each place that names it.)
 */
async function besideFlag<R>(db: Executor, flag: RawBuilder<unknown>, page: SelectQueryBuilder<Database, any, any>, keys: Keyset<R>, limit: number): Promise<{ flag: unknown; page: Page<R> }> {
  const rows = (await (db as unknown as Kysely<any>)
    .selectFrom(sql`(select ${flag} as flag offset 0)`.as('flagged'))
    .leftJoinLateral(keys.reduce((o, k) => o.orderBy(k.expr), page).limit(rowLimit(limit + 1)).as('page'), (join) => join.onTrue())
    .selectAll('page')
    .select('flagged.flag')
    .orderBy(sql`page.search_rank`)
    .orderBy(sql`page.sort_name`)
    .orderBy(sql`page.id`)
    .modifyEnd(MANY_ROWS)
    .execute()) as (R & { id: string | null; flag: unknown })[]
  return { flag: rows[0]?.flag, page: toPage(rows.filter((r) => r.id !== null), limit, (r) => keys.map((k) => k.of(r))) }
}

/**
 * The rows of `q`, counted up to one more than COUNT_CAP (a long list is "more than" the cap, not
 * counted to its end). `cached` (a list with no filter set: the page everyone opens, whose count
 * of 10 001 rows was half its SQL; bench/README.md): kept per data version when the statement
 * also reads only tables the version follows and nothing that changes with the clock (countable).
 * A filtered list is counted afresh: filters are many and may read anything, and count fewer rows.
 */
async function countOf(db: Executor, q: SelectQueryBuilder<Database, any, any>, opts: { cached?: boolean } = {}): Promise<number> {
  const rows = q.clearSelect().clearOrderBy().select(sql<number>`1`.as('one')).limit(COUNT_CAP + 1)
  const query = (db as unknown as Kysely<any>).selectFrom(rows.as('matching')).select(sql<number>`count(*)`.as('n'))
  const count = async () => Number(((await query.executeTakeFirstOrThrow()) as { n: unknown }).n)
  if (!opts.cached) return count()
  // Compiled here only to be checked and keyed: a search's or a filter's count never is.
  const compiled = query.compile()
  if (!countable(compiled.sql)) return count()
  return countAtVersion(db, JSON.stringify([compiled.sql, compiled.parameters]), count)
}

/** Every table a statement names after FROM or JOIN (quoted or not); anything else there — a function, LATERAL — is not a table the version follows. */
const NAMED_AFTER_FROM = /\b(?:from|join)\s+("?)([a-z_][a-z0-9_]*)\1(?![a-z0-9_(])/gi
/** What ends a FROM list at its depth. */
const AFTER_FROM = new Set(['where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'union', 'intersect', 'except', 'returning'])

/**
 * Whether a FROM list, at any depth, has a comma: another item (a function such as unnest, a
 * table after a subquery or a join) that NAMED_AFTER_FROM does not see.
 */
function fromListHasComma(statement: string): boolean {
  const inFrom: boolean[] = [false]
  for (const [token] of statement.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*|[(),]/gi)) {
    const depth = inFrom.length - 1
    if (token === '(') inFrom.push(false)
    else if (token === ')') {
      if (inFrom.length > 1) inFrom.pop()
    } else if (token === ',') {
      if (inFrom[depth]) return true
    } else if (/^from$/i.test(token)) inFrom[depth] = true
    else if (AFTER_FROM.has(token.toLowerCase())) inFrom[depth] = false
  }
  return false
}
/** What makes a statement's answer change without a write (the clock, the session, chance). */
const CLOCK = /\b(?:now|current_date|current_time|current_timestamp|localtime|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|age|current_setting|current_user|session_user|txid_current|pg_[a-z_]+)\b|'(?:now|today|tomorrow|yesterday|epoch|infinity|-infinity)'/i

/** Whether a statement's answer can change only by a write to a table the data version follows (fails closed on anything it does not recognise). */
export function countable(statement: string): boolean {
  if (CLOCK.test(statement) || fromListHasComma(statement)) return false
  for (const m of statement.matchAll(NAMED_AFTER_FROM)) if (!VERSIONED_TABLES.has(m[2]!.toLowerCase())) return false
  // A FROM or JOIN followed by something the pattern could not read as a name (a subquery is fine: its own FROM is read).
  const froms = statement.match(/\b(?:from|join)\s+(?!\()/gi)?.length ?? 0
  return froms === [...statement.matchAll(NAMED_AFTER_FROM)].length
}

/** The order a query asks for: its own, else relevance when a ranked filter is set, else the list's default. */
export function sortOf<F extends Filters, S extends string>(spec: Pick<ListSpec<F, S, any, any>, 'filters' | 'defaultSort'>, q: ListQuery<F, S>): S | typeof RELEVANCE {
  const asked = q.sort as S | typeof RELEVANCE | undefined
  if (asked && (asked !== RELEVANCE || searchOf(spec.filters, q))) return asked
  return searchOf(spec.filters, q) ? RELEVANCE : spec.defaultSort
}

/** The ranked filter that is set (the search box), with its rank for that value. */
function searchOf(filters: Filters, values: Record<string, unknown>) {
  const found = Object.entries(filters).find(([k, f]) => f.rank && isSet(values[k]))
  if (!found) return undefined
  const [name, f] = found
  const value = values[name] as never
  return {
    name,
    rank: (withTypos: boolean): Expression<number> => f.rank!(value, withTypos),
    exact: (): Expression<SqlBool> => (f.exact ? f.exact(value) : sql<SqlBool>`false`),
    exactRank: f.exactRank,
    exactArms: (): ExactArms<Expression<SqlBool>> => (f.exactArms ? f.exactArms(value) : { names: [], codes: [] }),
    /** The search's own condition for its value (a ranked filter has one). */
    where: (): Expression<SqlBool> => f.where!(value),
    tiers: (): RankTiers | undefined => f.tiers?.(value),
    fuzzy: async (db: Executor) => (f.fuzzy ? f.fuzzy(value, db) : undefined),
  }
}

/** Live rows, or the deleted ones (not merged away) for the admin-only deleted view. */
export function liveOrDeleted<Q extends SelectQueryBuilder<Database, any, any>>(q: Q, query: { deleted?: '1' | undefined }, merged = false): Q {
  if (!query.deleted) return q.where(sql<SqlBool>`deleted_at is null`) as Q
  return q.where(sql<SqlBool>`deleted_at is not null`).$if(merged, (qb) => qb.where(sql<SqlBool>`merged_into_id is null`)) as Q
}

export interface ListRequest<Q, Out> {
  query: Q
  links: ListLinks
  /** `count: false` when the page shows no total (a count costs a scan of the matching rows). */
  page(opts?: { count?: boolean }): Promise<ListPage<Out>>
  /** The whole filtered list as CSV when `format=csv` was asked for; undefined otherwise. */
  csv: (() => Promise<Response>) | undefined
}

/**
 * Parses a list request (strict query, admin-only deleted view) for a page or the API alike;
 * `limit` is the page size when the query asks for none (the schema's otherwise).
 */
export function readList<F extends Filters, S extends string, Row, Out>(
  c: Context<AppEnv>,
  list: List<F, S, Row, Out>,
  opts: { limit?: number } = {},
): ListRequest<ListQuery<F, S>, Out> {
  const params = queryOf(c)
  const query = parseOrThrow(c, list.schema, params)
  if (opts.limit && params.limit === undefined) query.limit = opts.limit
  if (query.deleted && c.get('user')?.role !== 'admin') {
    query.deleted = undefined
    delete params.deleted
  }
  const db = c.get('db')
  const audience = c.get('user')?.role ?? 'public'
  query.sort = sortOf(list, query) as S
  return {
    query,
    links: listLinks(list.path, params, query),
    page: (opts = {}) => list.page(db, query, { ...opts, audience }),
    csv: query.format === 'csv' ? () => csvOf(c, list, query) : undefined,
  }
}

async function csvOf<F extends Filters, S extends string, Row, Out>(c: Context<AppEnv>, list: List<F, S, Row, Out>, query: ListQuery<F, S>) {
  // An export is of the whole filtered list, not of one page, streamed a chunk at a time; it
  // names nobody an export may not (the rows' linked people too: seats, members, participants).
  const chunks = list.records(c.get('db'), query)
  const { columns } = list.csv
  const records = async function* () {
    for (;;) {
      const next = await asExport(() => chunks.next())
      if (next.done) return
      yield next.value.map((o) => columns.map((k) => o[k]))
    }
  }
  // Exports of personal data are audited: who, which list, which filters, how many rows (counted as they leave).
  const { format: _f, cursor: _c, limit: _l, ...filters } = queryOf(c)
  return csvResponse(c, list.csv.filename, [...columns], { [Symbol.asyncIterator]: records }, { audit: { list: list.path, filters } })
}

/** Records as the objects of the list's CSV columns (`prepare` reads the database for a whole chunk at once). */
async function csvObjects<Out>(db: Executor, list: Pick<ListSpec<Filters, string, unknown, Out>, 'csv' | 'toApi'>, rows: Out[]): Promise<Record<string, unknown>[]> {
  const { row = list.toApi as (r: Out) => Record<string, unknown>, lines, prepare } = list.csv
  if (prepare) return asExport(() => prepare(db, rows))
  return lines ? rows.flatMap(lines) : rows.map(row)
}

/** These records as the list's CSV (an export of chosen rows). */
export async function csvTable<Out>(c: Context<AppEnv>, list: Pick<ListSpec<Filters, string, unknown, Out>, 'csv' | 'toApi'>, rows: Out[], opts: { audited?: boolean } = {}): Promise<Response> {
  const { filename, columns } = list.csv
  const objects = await csvObjects(c.get('db'), list, rows)
  return csvResponse(c, filename, [...columns], objects.map((o) => columns.map((k) => o[k])), opts)
}

/** `GET /api/v1/<plural>`: `{ data, next_cursor }`, or the CSV export. */
export function listApi<F extends Filters, S extends string, Row, Out>(list: List<F, S, Row, Out>) {
  const handler = async (c: Context<AppEnv>) => {
    const req = readList(c, list)
    if (req.csv) return req.csv()
    // The API answers no total: the rows are not counted.
    const page = await req.page({ count: false })
    return c.json({ data: page.data.map(list.toApi), next_cursor: page.next_cursor })
  }
  // Its filters, sorts and paging are the route's query parameters in the API document.
  return withApiDoc(handler, { list: true, query: list.schema })
}
