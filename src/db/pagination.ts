import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import { ValidationError } from '../web/errors.ts'
import { MANY_ROWS } from './many-rows.ts'

/**
 * Keyset pagination, encoded and validated in one place. A list orders by a few key parts (the
 * sort value, then tie-breakers ending in the id); the cursor is the key of the last row shown,
 * base64url JSON, opaque to clients. A cursor that is not one of ours — not base64, not a list
 * of the right length, a value of the wrong type for the part — is a 400 naming `cursor`, never
 * a database error.
 *
 *   const ks = keyset<Contact>([{ expr: sql`sort_name`, of: (r) => r.sort_name }, { expr: sql`id`, type: 'uuid', of: (r) => r.id }])
 *   return keysetPage(query, ks, { cursor, limit, dir })
 */
export type KeyType = 'text' | 'uuid' | 'date' | 'timestamptz' | 'int' | 'float8'

export interface KeyPart<R> {
  expr: Expression<unknown>
  /** How the cursor's value is checked and cast; text by default. */
  type?: KeyType
  of: (row: R) => string
}

export type Keyset<R> = readonly KeyPart<R>[]

export const keyset = <R>(parts: Keyset<R>): Keyset<R> => parts

/** The key (sort_name, id) that most lists end in. */
export const nameThenId = <R extends { sort_name: string; id: string }>(): KeyPart<R>[] => [
  { expr: sql`sort_name`, of: (r) => r.sort_name },
  { expr: sql`id`, type: 'uuid', of: (r) => r.id },
]

/**
 * A timestamp column as a key part, compared at the millisecond. The cursor carries the value as
 * a JavaScript Date does (milliseconds), PostgreSQL keeps microseconds (`now()`): compared as
 * stored, the last row of a page (`asc`) came again at the top of the next, and a row sharing the
 * last one's millisecond was skipped (`desc`).
 */
export const timestampKey = <R>(column: string, of: (row: R) => Date): KeyPart<R> => ({
  expr: sql`date_trunc('milliseconds', ${sql.ref(column)})`,
  type: 'timestamptz',
  of: (r) => of(r).toISOString(),
})

export interface Page<T> {
  data: T[]
  next_cursor: string | null
}

export function encodeCursor(values: readonly string[]): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(values)))
}

// The message is a catalogue key: the error handler translates it.
const invalidCursor = () => new ValidationError({ cursor: 'validation.invalid_cursor' })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// ISO 8601 (toISOString) or PostgreSQL's own text form (`created_at::text`, microseconds kept).
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/

function validDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

function fits(value: string, type: KeyType = 'text'): boolean {
  switch (type) {
    case 'text':
      return !value.includes('\0')
    case 'uuid':
      return UUID.test(value)
    case 'date':
      return validDate(value)
    case 'int':
      return /^-?\d{1,9}$/.test(value)
    case 'float8':
      // A JavaScript number's own text (String(n)): it reads back as the same double.
      return /^-?\d{1,20}(\.\d{1,20})?(e[+-]?\d{1,3})?$/.test(value)
    case 'timestamptz':
      return TIMESTAMP.test(value) && validDate(value.slice(0, 10))
  }
}

/** The cursor's values, each checked against its key part; a ValidationError naming `cursor` otherwise. */
export function decodeCursor(cursor: string, parts: Keyset<unknown>): string[] {
  let value: unknown
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalidCursor()
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64urlIgnorePadding(cursor)))
  } catch {
    throw invalidCursor()
  }
  if (!Array.isArray(value) || value.length !== parts.length) throw invalidCursor()
  if (!value.every((v, i) => typeof v === 'string' && fits(v, parts[i]!.type))) throw invalidCursor()
  return value as string[]
}

function typed(value: string, type: KeyType = 'text') {
  return type === 'text' ? sql`${value}` : sql`${value}::${sql.raw(type)}`
}

/** The page sizes the app itself asks for (lists, exports, timelines), whose limits go into a statement's text. */
const USUAL_SIZES = new Set([10, 20, 25, 50, 100, 200, 1000])

/**
 * A page's row limit (a size, or a size and one more to see whether a page follows), written into
 * the statement when the size is one the app uses. With `limit $1` a prepared statement's generic
 * plan cannot know how few rows are wanted, is estimated dearer than a plan for the value, and so
 * PostgreSQL planned the statement again at every run: a common name's list page spent 2.7 ms
 * planning it (bench/README.md, *A page's limit in its text*). Any other size (the API's `limit`
 * is 1–200) is a parameter, as before: a text for each would let a client fill a connection's
 * prepared statements (src/db/prepared.ts) with texts sent twice each.
 */
export function rowLimit(n: number): RawBuilder<number> {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row limit: ${n}`)
  return USUAL_SIZES.has(n) || USUAL_SIZES.has(n - 1) ? sql.lit(n) : sql`${n}`
}

/**
 * One page of `query` in keyset order: the rows after `cursor`, `limit` of them, and the cursor of
 * the next page (null on the last). Every key part sorts in the same direction.
 */
export async function keysetPage<DB, TB extends keyof DB, R>(
  query: SelectQueryBuilder<DB, TB, R>,
  parts: Keyset<R>,
  opts: { cursor?: string | undefined; limit: number; dir?: 'asc' | 'desc' },
): Promise<Page<R>> {
  const desc = opts.dir === 'desc'
  let q = query
  if (opts.cursor) {
    const values = decodeCursor(opts.cursor, parts as Keyset<unknown>)
    const left = sql.join(parts.map((p) => p.expr))
    const right = sql.join(values.map((v, i) => typed(v, parts[i]!.type)))
    q = q.where(sql<boolean>`(${left}) ${desc ? sql`<` : sql`>`} (${right})`)
  }
  for (const p of parts) q = q.orderBy(sql`${p.expr} ${desc ? sql`desc` : sql`asc`}`)
  // A page is many rows: on the embedded engine they come as one value (src/db/many-rows.ts).
  const rows = await q.limit(rowLimit(opts.limit + 1)).modifyEnd(MANY_ROWS).execute()
  return toPage(rows as R[], opts.limit, (r) => parts.map((p) => p.of(r)))
}

/** Rows were fetched with limit + 1: the extra one only tells that there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => readonly string[]): Page<T> {
  const data = rows.slice(0, limit)
  const last = data.at(-1)
  return { data, next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null }
}
