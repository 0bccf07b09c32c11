import { sql, type KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { jsonRows, packedRows } from '../../src/db/packed.ts'
import { testDb } from '../helpers/db.ts'

// The network graph's large reads come as one value each on the embedded engine (src/db/packed.ts):
// what comes back must be exactly what the rows hold, nulls, order and awkward text included, and
// the same as the rows read one by one. A large read comes as several values of at most
// PACKED_CHUNK rows: one value for the whole graph grew PGlite's memory for good by what it held.
let handle: DbHandle
beforeAll(async () => {
  handle = await testDb()
})
afterAll(() => handle.close())

const rows = sql`select * from (values
    (1, '4f3c1e0a-0000-4000-8000-000000000001'::uuid, '2024-06-30'::date, null::text, 'affiliation'),
    (2, '4f3c1e0a-0000-4000-8000-000000000002'::uuid, null, 'a b', 'partner_of'),
    (3, '4f3c1e0a-0000-4000-8000-000000000003'::uuid, '2025-01-01'::date, null, 'parent')
  ) as t(n, id, day, words, type) order by n desc`

describe.each([true, false])('packedRows (packed: %s)', (packed) => {
  it('gives each row’s fields as text, null where the row has none, in the query’s order', async () => {
    expect(await packedRows(handle.db, rows, ['id', 'day', 'words', 'type', 'n'], { packed })).toEqual([
      { id: '4f3c1e0a-0000-4000-8000-000000000003', day: '2025-01-01', words: null, type: 'parent', n: '3' },
      { id: '4f3c1e0a-0000-4000-8000-000000000002', day: null, words: 'a b', type: 'partner_of', n: '2' },
      { id: '4f3c1e0a-0000-4000-8000-000000000001', day: '2024-06-30', words: null, type: 'affiliation', n: '1' },
    ])
  })

  it('gives no rows for an empty result', async () => {
    expect(await packedRows(handle.db, sql`select 1 as n where false`, ['n'], { packed })).toEqual([])
  })
})

describe.each([true, false])('jsonRows (packed: %s)', (packed) => {
  it('keeps any text as it is, control characters and quotes included, and booleans, arrays and nulls as such', async () => {
    const label = 'Ada "A"\x1e\x1f\\ Åberg\n'
    const found = await jsonRows<{ label: string; flag: boolean; tags: string[] | null; none: string | null }>(
      handle.db,
      sql`select ${label}::text as label, true as flag, array['x', 'y'] as tags, null::text as none union all select 'B', false, null, null`,
      ['label', 'flag', 'tags', 'none'],
      { packed },
    )
    expect(found).toEqual([
      { label, flag: true, tags: ['x', 'y'], none: null },
      { label: 'B', flag: false, tags: null, none: null },
    ])
  })

  it('gives no rows for an empty result', async () => {
    expect(await jsonRows(handle.db, sql<{ n: number }>`select 1 as n where false`, ['n'], { packed })).toEqual([])
  })
})

describe('a large read packed', () => {
  // How many values each statement brought back, seen as the rows arrive.
  const counting = () => {
    const values: number[] = []
    const plugin: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => (values.push(a.result.rows.length), a.result) }
    return { db: handle.db.withPlugin(plugin), values }
  }
  // Seven rows in an order of their own (not their numbers'), awkward text in every third.
  const seven = sql<{ n: number; words: string | null; even: boolean }>`select n, case when n % 3 = 0 then 'x "' || n || E'\x1e' else null end as words, (n % 2 = 0) as even
    from generate_series(1, 7) as n order by n % 3, n desc`
  const expected = [6, 3, 7, 4, 1, 5, 2]

  it('comes as values of at most `chunk` rows, in the query’s order across them (packedRows)', async () => {
    const { db, values } = counting()
    const found = await packedRows(db, sql`select n, even from (${seven}) as s`, ['n', 'even'], { packed: true, chunk: 3 })
    expect(found.map((r) => Number(r.n))).toEqual(expected)
    expect(found.map((r) => r.even)).toEqual(expected.map((n) => String(n % 2 === 0)))
    expect(values).toEqual([3])
  })

  it('comes as values of at most `chunk` rows, in the query’s order across them (jsonRows)', async () => {
    const { db, values } = counting()
    const found = await jsonRows<{ n: number; words: string | null; even: boolean }>(db, seven, ['n', 'words', 'even'], { packed: true, chunk: 3 })
    expect(found).toEqual(expected.map((n) => ({ n, words: n % 3 === 0 ? `x "${n}\x1e` : null, even: n % 2 === 0 })))
    expect(values).toEqual([3])
  })
})
