import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

// The embedded engine has one connection, which Kysely hands from query to query through
// promises. Handed over without a turn of the event loop, a queue of 50 requests ran query after
// query in one go: the server read none of its sockets for up to 11 s, a keep-alive connection
// whose idle timer (5 s + 1 s) was due meanwhile was closed with the client's next request unread,
// and the client got ECONNRESET (bench:load at 50 connections; bench/README.md, Load).
describe.runIf(ENGINE === 'pglite')('the embedded engine’s one connection', () => {
  let handle: DbHandle
  beforeAll(async () => {
    handle = await testDb()
  })
  afterAll(() => handle.close())

  it('is handed from query to query through the event loop, so the server reads its sockets between turns', async () => {
    let loopTurns = 0
    let counting = true
    const count = () => {
      loopTurns++
      if (counting) setImmediate(count)
    }
    setImmediate(count)
    try {
      const seen: number[] = []
      // Twenty requests at once, each with a session lookup and a page's query.
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await sql`select ${i}::int as n`.execute(handle.db)
          seen.push(loopTurns)
          const { rows } = await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(handle.db)
          seen.push(loopTurns)
          expect(rows[0]!.n).toBe(i + 1)
        }),
      )
      expect(seen).toHaveLength(40)
      // Every query ran in a turn of the event loop of its own: none followed another in the same.
      expect(new Set(seen).size).toBe(seen.length)
    } finally {
      counting = false
    }
  })

  it('keeps a transaction’s connection to itself: a query asked meanwhile waits for the commit', async () => {
    let outside: Promise<number | string> | undefined
    const inside = await handle.db.transaction().execute(async (tx) => {
      await sql`create temp table turns (n int) on commit drop`.execute(tx)
      outside = sql<{ n: number }>`select count(*)::int as n from turns`.execute(handle.db).then((r) => r.rows[0]!.n, () => 'no table')
      for (let i = 0; i < 5; i++) await sql`insert into turns values (${i})`.execute(tx)
      return (await sql<{ n: number }>`select count(*)::int as n from turns`.execute(tx)).rows[0]!.n
    })
    expect(inside).toBe(5)
    expect(await outside).toBe('no table')
  })
})
