import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { jsonRows, packedRows } from '../../src/db/packed.ts'
import { testDb } from '../helpers/db.ts'

// The network graph's large reads come as one value each on the embedded engine (src/db/packed.ts):
// what comes back must be exactly what the rows hold, nulls, order and awkward text included, and
// the same as the rows read one by one.
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
