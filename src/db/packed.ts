import { sql, type RawBuilder } from 'kysely'
import type { Executor } from './write.ts'

/*
 * Large reads as one value, on the embedded engine (`packed`; otherwise the rows as they come).
 * PGlite parses every field of every row on its own, in the server's one thread and all at once,
 * while every other request waits — and a national register's graph is hundreds of thousands of
 * fields (bench/README.md, *The graph read as one value*): its 43 500 affiliations took 520–680 ms
 * as rows and 90–160 ms packed, its 50 000 contact nodes 1.0–1.2 s as rows and 0.4–0.5 s as one
 * JSON array. pg parses rows as they arrive, between other requests' work: packed, the server
 * would build the value and the app parse it in one piece, for nothing. Row order: as the query
 * gives it (each row is numbered as it comes, and each value holds its rows in that order).
 *
 * One value per PACKED_CHUNK rows, not one for the whole read: PGlite's WebAssembly memory grows
 * to hold the largest value it builds (the aggregate, its text, the message carrying it) and never
 * gives it back. The whole register's graph at 50 000 contacts (58 000 nodes, 228 000 edges) as one
 * value per query grew it from 189 to 326 MiB for the life of the process; in values of 20 000
 * rows, to 226 MiB, in the same time (bench/README.md, *The graph read in parts*).
 */

// Control characters no id, date, number or type name holds: between fields, and between rows.
const FIELD = '\x1f'
const ROW = '\x1e'

/** At most this many rows in one packed value. */
export const PACKED_CHUNK = 20_000

/** Options of a packed read: whether to pack, and at most how many rows a value holds (tests make it small). */
export interface PackOptions {
  packed: boolean
  chunk?: number
}

/** `query`'s rows numbered as they come (`pack_n`), for an aggregate per chunk of them that keeps their order. */
const numbered = (query: RawBuilder<unknown>) => sql`(select *, row_number() over () as pack_n from (${query}) as q) as packed`
const chunkOf = (opts: PackOptions) => sql`(pack_n - 1) / ${sql.lit(opts.chunk ?? PACKED_CHUNK)}`

/**
 * The rows of `query` sent as text values (PACKED_CHUNK rows each) and split here. For columns whose text is never
 * empty and never holds a control character — ids, dates, numbers, enum values: an empty field is
 * read as null. Anything else (names) goes through jsonRows.
 */
export async function packedRows<K extends string>(db: Executor, query: RawBuilder<unknown>, columns: readonly K[], opts: PackOptions): Promise<Record<K, string | null>[]> {
  if (!opts.packed) {
    const { rows } = await query.execute(db)
    // The rows as pg made them, their few non-text fields (a count) turned to text in place: a
    // fresh object per row (with an entries array per row on the way) was 0.5 s of the server's
    // thread and much of its garbage for the whole register's 900 000 links at 200 000 contacts.
    for (const r of rows as Record<K, unknown>[]) {
      for (const c of columns) {
        const v = r[c]
        if (v === undefined) r[c] = null
        else if (v !== null && typeof v !== 'string') r[c] = String(v)
      }
    }
    return rows as Record<K, string | null>[]
  }
  const fields = sql.join(columns.map((c) => sql`coalesce(${sql.ref(`packed.${c}`)}::text, '')`), sql`, `)
  const { rows } = await sql<{ packed: string }>`select string_agg(concat_ws(${FIELD}, ${fields}), ${ROW} order by pack_n) as packed
    from ${numbered(query)} group by ${chunkOf(opts)} order by ${chunkOf(opts)}`.execute(db)
  return rows.flatMap((r) => r.packed.split(ROW)).map((line) => {
    const values = line.split(FIELD)
    const row = {} as Record<K, string | null>
    columns.forEach((c, i) => (row[c] = values[i] || null))
    return row
  })
}

/** The rows of `query` as JSON arrays of arrays (PACKED_CHUNK rows each), for any column: text, booleans, arrays (a timestamp comes as its ISO text). */
export async function jsonRows<R>(db: Executor, query: RawBuilder<R>, columns: readonly (keyof R & string)[], opts: PackOptions): Promise<R[]> {
  if (!opts.packed) return (await query.execute(db)).rows
  const fields = sql.join(columns.map((c) => sql.ref(`packed.${c}`)), sql`, `)
  const { rows } = await sql<{ packed: string }>`select json_agg(json_build_array(${fields}) order by pack_n)::text as packed
    from ${numbered(query)} group by ${chunkOf(opts)} order by ${chunkOf(opts)}`.execute(db)
  return rows.flatMap((r) => JSON.parse(r.packed) as unknown[][]).map((values) => {
    const row = {} as Record<string, unknown>
    columns.forEach((c, i) => (row[c] = values[i]))
    return row as R
  })
}
