import fs from 'node:fs'
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { kyselyOverPglite, openPglite, type Db } from '../../src/db/connect.ts'
import { MANY_ROWS_MARK } from '../../src/db/many-rows.ts'
import { keyset, keysetPage, nameThenId } from '../../src/db/pagination.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

// Every type the packed read rebuilds, with the values that differ between JSON and PostgreSQL's
// text: nulls, empty and nested arrays, quotes, backslashes, control characters, non-ASCII,
// microseconds, infinities, NaN, large and negative numbers.
const TABLE = sql`create table packed_probe (
  id int primary key, name text, code varchar(20), letter char(3), ref uuid, ok boolean,
  small smallint, whole int, big bigint, ratio real, score double precision,
  doc json, docb jsonb, tags text[], codes varchar[], refs uuid[], counts int[],
  day date, at timestamptz, local timestamp,
  words tsvector generated always as (to_tsvector('swedish', coalesce(name, ''))) stored
)`
const ROWS = sql`insert into packed_probe (id, name, code, letter, ref, ok, small, whole, big, ratio, score, doc, docb, tags, codes, refs, counts, day, at, local) values
  (1, 'Åsa "Lind" \\ström', 'a', 'x', '0e10bf5b-978e-45c4-bc03-08273c6a2786', true, 1, 2, 3, 1.5, 0.1,
   '{"a": [1, {"b": null}]}', '{"z": "ö", "n": 1.25}', array['Vattenrådet', '', 'a,b', 'q"q'], array['x'], array['30f9a887-00a7-4a3a-a920-fdceca2bd276']::uuid[], array[1, -2],
   '2024-05-17', '2024-10-02 12:40:59.207123+00', '2024-10-02 12:40:59.5'),
  (2, E'tab\\there\\nline \\u0001 control', null, null, null, false, -32768, -2147483648, -9007199254740991, 'NaN', 'Infinity',
   'null', '[]', '{}', null, '{}', '{}', 'infinity', '-infinity', null),
  (3, null, null, null, null, null, null, null, 9007199254740991, '-Infinity', 'NaN', null, null, null, null, null, null, null, 'infinity', 'infinity')`

const marked = (text: string) => `${text} ${MANY_ROWS_MARK}`

describe('a statement marked as many rows', () => {
  let db: Db
  let close: () => Promise<void>
  /** The texts PGlite's own query() was given (the packed read's, once it is installed). */
  const sent: string[] = []

  beforeAll(async () => {
    if (ENGINE === 'pglite') {
      const pglite = await openPglite({ loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))]) })
      const query = pglite.query.bind(pglite)
      pglite.query = ((text: string, ...rest: unknown[]) => {
        sent.push(text)
        return (query as (...a: unknown[]) => unknown)(text, ...rest)
      }) as typeof pglite.query
      db = kyselyOverPglite(pglite)
      close = () => db.destroy()
    } else {
      const handle = await testDb()
      db = handle.db
      close = handle.close
    }
    await TABLE.execute(db)
    await ROWS.execute(db)
  })
  afterAll(() => close?.())

  const read = async (text: string, params: unknown[] = []) => (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, params))).rows

  it('gives the same rows, values and types as the statement read as rows', async () => {
    const text = 'select * from packed_probe where id >= $1 order by id'
    sent.length = 0
    const packed = await read(marked(text), [1])
    const rows = await read(text, [1])
    expect(packed).toHaveLength(3)
    expect(packed).toEqual(rows)
    // toEqual compares Dates by value; the types too.
    expect(packed.map((r) => Object.keys(r))).toEqual(rows.map((r) => Object.keys(r)))
    expect((packed[0] as { at: unknown }).at).toBeInstanceOf(Date)
    expect((packed[1] as { at: unknown }).at).toBe(-Infinity)
    expect(Number.isNaN((packed[1] as { ratio: number }).ratio)).toBe(true)
    if (ENGINE === 'pglite') expect(sent.some((t) => t.startsWith('select json_agg(packed)') && t.includes(text))).toBe(true)
  })

  it('gives no rows as an empty list', async () => {
    expect(await read(marked('select * from packed_probe where id > $1'), [99])).toEqual([])
  })

  it('reads a number past 2^53 as rows, exactly', async () => {
    const text = 'select id, big + $1::int8 as big from packed_probe order by id'
    const packed = await read(marked(text), [2])
    expect(packed).toEqual(await read(text, [2]))
    // (On PostgreSQL the mark is a comment: the rows are pg's, whatever it makes of an int8.)
    if (ENGINE === 'pglite') expect((packed[2] as { big: unknown }).big).toBe(9007199254740993n)
  })

  it('reads a column JSON would change (numeric, bytea, interval) as rows', async () => {
    const text = "select id, 1.10::numeric as n, '\\x00ff'::bytea as b, interval '1 day' as i from packed_probe order by id"
    sent.length = 0
    const packed = await read(marked(text))
    expect(packed).toEqual(await read(text))
    expect(sent.some((t) => t.startsWith('select json_agg'))).toBe(false)
  })

  it('reads a list page packed, its cursor continuing where the page ended', async () => {
    const keys = keyset<{ id: number }>([{ expr: sql`id`, type: 'int', of: (r) => String(r.id) }])
    const query = db.selectFrom('packed_probe' as never).selectAll() as never
    sent.length = 0
    const first = await keysetPage(query, keys, { limit: 2 })
    expect(first.data.map((r) => (r as { id: number }).id)).toEqual([1, 2])
    const rest = await keysetPage(query, keys, { limit: 2, cursor: first.next_cursor! })
    expect(rest).toEqual({ data: [expect.objectContaining({ id: 3, at: Infinity })], next_cursor: null })
    if (ENGINE === 'pglite') expect(sent.filter((t) => t.startsWith('select json_agg(packed)'))).toHaveLength(2)
  })

  it.runIf(ENGINE === 'pglite')('reads the contacts and organisations lists packed (every column of theirs comes through JSON)', async () => {
    for (const table of ['contacts', 'organisations'] as const) {
      sent.length = 0
      await keysetPage(db.selectFrom(table).selectAll() as never, nameThenId(), { limit: 5 })
      expect(sent.filter((t) => t.startsWith('select json_agg(packed)'))).toHaveLength(1)
    }
  })
})
