import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { BEHIND_AT_MOST_MS, behindOthers } from '../../src/db/turns.ts'
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

  it('lets a request’s statements all go before a long read behind others goes on', async () => {
    // The network graph in turns: a list's four statements waited behind up to four of the
    // graph's, each up to a second on a national register.
    const done: string[] = []
    const long = behindOthers(async () => {
      for (let i = 1; i <= 4; i++) {
        await sql`select pg_sleep(0.05)`.execute(handle.db)
        done.push(`long ${i}`)
      }
    })
    // Asked after the long read (first in line until now), with a little of its own work between its statements.
    const request = (async () => {
      for (let i = 1; i <= 3; i++) {
        await sql`select pg_sleep(0.01)`.execute(handle.db)
        done.push(`request ${i}`)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    await Promise.all([long, request])
    expect(done).toEqual(['request 1', 'request 2', 'request 3', 'long 1', 'long 2', 'long 3', 'long 4'])
  })

  it('goes on with a read behind others under a steady load, a statement at least every BEHIND_AT_MOST_MS', async () => {
    let busy = true
    const load = (async () => {
      while (busy) await sql`select 1`.execute(handle.db)
    })()
    const started = performance.now()
    await behindOthers(async () => {
      for (let i = 0; i < 3; i++) await sql`select 1`.execute(handle.db)
    })
    busy = false
    await load
    expect(performance.now() - started).toBeLessThan(3 * BEHIND_AT_MOST_MS + 2_000)
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
