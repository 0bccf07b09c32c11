import { sql } from 'kysely'
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite'

/*
 * A page of a list as one value, on the embedded engine.
 *
 * PGlite reads every field of every row through its protocol parser and its type parsers in
 * JavaScript, in the server's one thread: for a list page of 51 organisations that was 1.4 ms of
 * the 2.8 ms a request cost, and the organisations list ran at 2.5× PostgreSQL's p97.5 at 10
 * connections (bench/README.md, *A list page as one value on PGlite*). The same rows aggregated by the engine
 * into one JSON text, parsed by JSON.parse, take 0.8 ms. A statement marked MANY_ROWS (a list's
 * page, an export's chunk: `keysetPage`) is therefore sent on PGlite as
 * `select json_agg(…)::text from (statement)`, and its rows rebuilt as PGlite would have parsed
 * them: the statement's columns are described once per text, and only a statement whose every
 * column comes out of JSON as PGlite's own parser makes it (text, uuid, tsvector, booleans, whole
 * numbers, floats, json, dates and timestamps, arrays of text, uuids or integers; each column name
 * once) is packed; others (numeric, bytea, interval…) and statements in a transaction are read as rows.
 * Timestamps come as JSON text and go through PGlite's own parser; a float's NaN or infinity
 * comes as text and is read as a number. PostgreSQL (pg) reads rows as they arrive, between other
 * requests' work: there the mark is only a comment. (The graph's reads of hundreds of thousands of
 * rows name their columns and are packed by src/db/packed.ts, field by field, without JSON.)
 */

export const MANY_ROWS_MARK = '/* many rows */'
export const MANY_ROWS = sql.raw(MANY_ROWS_MARK)

// text, varchar, char, uuid, name, tsvector (its text either way), bool, int2, int4, json, jsonb, text[], varchar[], uuid[], int4[]
const AS_IS = new Set([25, 1043, 1042, 2950, 19, 3614, 16, 21, 23, 114, 3802, 1009, 1015, 2951, 1007])
const FLOAT = new Set([700, 701])
const INT8 = 20
const PARSED = new Set([1082, 1114, 1184]) // date, timestamp, timestamptz: JSON text through PGlite's parser

/** How a statement's columns are rebuilt from JSON; null: a statement not to pack. */
interface Shape {
  fields: { name: string; dataTypeID: number }[]
  parsed: { name: string; dataTypeID: number }[]
  floats: string[]
  int8: string[]
}

const SHAPES_KEPT = 500

function shapeOf(fields: { name: string; dataTypeID: number }[]): Shape | null {
  if (fields.length === 0 || new Set(fields.map((f) => f.name)).size !== fields.length) return null // a name twice: JSON would keep one
  if (!fields.every((f) => AS_IS.has(f.dataTypeID) || FLOAT.has(f.dataTypeID) || PARSED.has(f.dataTypeID) || f.dataTypeID === INT8)) return null
  const namesOf = (keep: (type: number) => boolean) => fields.filter((f) => keep(f.dataTypeID)).map((f) => f.name)
  return { fields, parsed: fields.filter((f) => PARSED.has(f.dataTypeID)), floats: namesOf((t) => FLOAT.has(t)), int8: namesOf((t) => t === INT8) }
}

const packing = new WeakSet<PGlite>()

/** Makes `pglite.query` read a statement marked MANY_ROWS as one JSON value (see above). */
export function packManyRows(pglite: PGlite): void {
  if (packing.has(pglite)) return
  packing.add(pglite)
  const query = pglite.query.bind(pglite)
  const shapes = new Map<string, Shape | null>()
  const shapeFor = async (text: string): Promise<Shape | null> => {
    let shape = shapes.get(text)
    if (shape === undefined) {
      // A statement the engine cannot describe alone is read as rows, and fails there if it must.
      shape = await pglite.describeQuery(text).then((d) => shapeOf(d.resultFields), () => null)
      if (shapes.size >= SHAPES_KEPT) shapes.clear()
      shapes.set(text, shape)
    }
    return shape
  }
  pglite.query = (async (text: string, params?: unknown[], options?: QueryOptions) => {
    const marked = typeof text === 'string' && text.includes(MANY_ROWS_MARK) && options?.rowMode === 'object' && /^\s*select\b/i.test(text)
    const shape = marked && !pglite.closed ? await shapeFor(text) : null
    if (!shape) return query(text, params, options)
    const packed = await query<{ packed: string | null }>(`select json_agg(packed)::text as packed from (${text}\n) as packed`, params, options)
    const rows = (packed.rows[0]?.packed ? JSON.parse(packed.rows[0].packed) : []) as Record<string, unknown>[]
    for (const row of rows) {
      for (const { name: c, dataTypeID: type } of shape.parsed) if (typeof row[c] === 'string') row[c] = (pglite.parsers[type] ?? String)(row[c] as string, type)
      for (const c of shape.floats) if (typeof row[c] === 'string') row[c] = Number(row[c])
      // Beyond 2^53 JSON.parse rounds; PGlite would give a BigInt. Read such a page as rows.
      for (const c of shape.int8) if (row[c] !== null && !Number.isSafeInteger(row[c])) return query(text, params, options)
    }
    return { rows, fields: shape.fields, affectedRows: 0 } satisfies Results<Record<string, unknown>>
  }) as typeof pglite.query
}
