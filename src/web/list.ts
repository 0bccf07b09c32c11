import type { Context } from 'hono'
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { keysetPage, type Keyset, type Page } from '../db/pagination.ts'
import type { Database } from '../db/schema.ts'
import { audit, type Executor } from '../db/write.ts'
import { allPages } from '../register/csv-export.ts'
import { asExport } from '../privacy/visibility.ts'
import { listBase } from '../register/list-query.ts'
import { csvResponse } from './csv.ts'
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
  /** A looser condition, tried only when `where` finds nothing (typo matches, which cost more and are noise beside real matches). */
  loose?: Filter<S>['where']
}

export const filter = <S extends z.ZodType>(schema: S, where?: Filter<S>['where'], loose?: Filter<S>['where']): Filter<S> => ({ schema, where, loose })

type Filters = Record<string, Filter>
type Dir = 'asc' | 'desc'

export type ListQuery<F extends Filters, S extends string> = {
  limit: number
  cursor?: string | undefined
  format?: 'json' | 'csv' | undefined
  sort: S
  dir: Dir
  deleted?: '1' | undefined
} & { [K in keyof F]: z.output<F[K]['schema']> }

export type ListPage<T> = Page<T> & { total: number }

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
  /** Instead of `row`, for columns that need the database (counted once for the whole export). */
  prepare?: (db: Executor, rows: Out[]) => Promise<Record<string, unknown>[]>
}

export type List<F extends Filters, S extends string, Row, Out> = ListSpec<F, S, Row, Out> & {
  schema: z.ZodType<ListQuery<F, S>>
  /** The orders' names, for a sort menu. */
  sortNames: readonly S[]
  page(db: Executor, q: ListQuery<F, S>, opts?: { count?: boolean; audience?: string }): Promise<ListPage<Out>>
}

export function defineList<F extends Filters, S extends string, Row, Out = Row>(spec: ListSpec<F, S, Row, Out>): List<F, S, Row, Out> {
  const sorts = Object.keys(spec.sorts) as [S, ...S[]]
  const { q: _search, ...protocol } = listBase
  const schema = z.strictObject({
    ...protocol,
    ...Object.fromEntries(Object.entries(spec.filters).map(([k, f]) => [k, f.schema])),
    sort: z.enum(sorts).default(spec.defaultSort as never),
    dir: z.enum(['asc', 'desc']).default(spec.defaultDir ?? 'asc'),
    deleted: z.enum(['1']).optional(),
  }) as unknown as z.ZodType<ListQuery<F, S>>
  const list: List<F, S, Row, Out> = {
    ...spec,
    schema,
    sortNames: sorts,
    async page(db, q, opts = {}) {
      const loose = Object.entries(spec.filters).some(([k, f]) => f.loose && isSet(q[k]))
      const visible = <Q extends SelectQueryBuilder<Database, any, any>>(b: Q): Q => (spec.visible ? (b.where(spec.visible(opts.audience ?? 'export')) as Q) : b)
      let base = visible(filtered(spec.from(db, q), spec.filters, q, false))
      let total = opts.count === false && !loose ? undefined : await countOf(base)
      if (loose && total === 0) {
        base = visible(filtered(spec.from(db, q), spec.filters, q, true))
        total = await countOf(base)
      }
      const keys = spec.sorts[q.sort]
      const page = await keysetPage(base, typeof keys === 'function' ? keys(q) : keys, q)
      const data = spec.load ? await spec.load(db, page.data) : (page.data as unknown as Out[])
      return { data, next_cursor: page.next_cursor, total: total ?? data.length }
    },
  }
  return list
}

const isSet = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)

function filtered<Q extends SelectQueryBuilder<Database, any, any>>(query: Q, filters: Filters, values: Record<string, unknown>, loose: boolean): Q {
  let q = query
  for (const [name, f] of Object.entries(filters)) {
    const where = (loose && f.loose) || f.where
    if (where && isSet(values[name])) q = q.where(where(values[name] as never)) as Q
  }
  return q
}

async function countOf(q: SelectQueryBuilder<Database, any, any>): Promise<number> {
  const row = await q.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number((row as { n: unknown }).n)
}

/** Live rows, or the deleted ones (not merged away) for the admin-only deleted view. */
export function liveOrDeleted<Q extends SelectQueryBuilder<Database, any, any>>(q: Q, query: { deleted?: '1' | undefined }, merged = false): Q {
  if (!query.deleted) return q.where(sql<SqlBool>`deleted_at is null`) as Q
  return q.where(sql<SqlBool>`deleted_at is not null`).$if(merged, (qb) => qb.where(sql<SqlBool>`merged_into_id is null`)) as Q
}

export interface ListRequest<Q, Out> {
  query: Q
  links: ListLinks
  page(): Promise<ListPage<Out>>
  /** The whole filtered list as CSV when `format=csv` was asked for; undefined otherwise. */
  csv: (() => Promise<Response>) | undefined
}

/** Parses a list request (strict query, admin-only deleted view) for a page or the API alike. */
export function readList<F extends Filters, S extends string, Row, Out>(
  c: Context<AppEnv>,
  list: List<F, S, Row, Out>,
): ListRequest<ListQuery<F, S>, Out> {
  const params = queryOf(c)
  const query = parseOrThrow(c, list.schema, params)
  if (query.deleted && c.get('user')?.role !== 'admin') {
    query.deleted = undefined
    delete params.deleted
  }
  const db = c.get('db')
  const audience = c.get('user')?.role ?? 'public'
  return {
    query,
    links: listLinks(list.path, params, query),
    page: () => list.page(db, query, { audience }),
    csv: query.format === 'csv' ? () => csvOf(c, list, query) : undefined,
  }
}

async function csvOf<F extends Filters, S extends string, Row, Out>(c: Context<AppEnv>, list: List<F, S, Row, Out>, query: ListQuery<F, S>) {
  // An export is of the whole filtered list, not of one page; it names nobody an export may not
  // (the rows' linked people too: seats, members, participants).
  const rows = await asExport(() => allPages((cursor) => list.page(c.get('db'), { ...query, cursor, limit: 1000 }, { count: false, audience: 'export' })))
  // Exports of personal data are audited: who, which list, which filters, how many rows.
  const user = c.get('user')
  if (user) {
    const { format: _f, cursor: _c, limit: _l, ...filters } = queryOf(c)
    await audit(c.get('db'), { userId: user.id }, 'export', user.id, 'export', { list: [null, list.path], filters: [null, filters], rows: [null, rows.length] })
  }
  return csvTable(c, list, rows, { audited: true })
}

/** These records as the list's CSV (also for an export of chosen rows). */
export async function csvTable<Out>(c: Context<AppEnv>, list: Pick<ListSpec<Filters, string, unknown, Out>, 'csv' | 'toApi'>, rows: Out[], opts: { audited?: boolean } = {}): Promise<Response> {
  const { filename, columns, row = list.toApi as (r: Out) => Record<string, unknown>, prepare } = list.csv
  const objects = prepare ? await asExport(() => prepare(c.get('db'), rows)) : rows.map(row)
  return csvResponse(c, filename, [...columns], objects.map((o) => columns.map((k) => o[k])), opts)
}

/** `GET /api/v1/<plural>`: `{ data, next_cursor }`, or the CSV export. */
export function listApi<F extends Filters, S extends string, Row, Out>(list: List<F, S, Row, Out>) {
  const handler = async (c: Context<AppEnv>) => {
    const req = readList(c, list)
    if (req.csv) return req.csv()
    const page = await req.page()
    return c.json({ data: page.data.map(list.toApi), next_cursor: page.next_cursor })
  }
  // Its filters, sorts and paging are the route's query parameters in the API document.
  return withApiDoc(handler, { list: true, query: list.schema })
}
