import pino from 'pino'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { connect, kyselyOverPostgres, outsidePoolOf } from '../../src/db/connect.ts'
import { testConfig } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

describe('the PostgreSQL request pool: configuration', () => {
  it('queues a burst for 30 s by default on 10 connections, both settable', () => {
    expect(loadConfig({}).pool).toEqual({ max: 10, connectionTimeoutMillis: 30_000, preparedStatements: true })
    expect(loadConfig({ DATABASE_POOL_MAX: '25', DATABASE_POOL_TIMEOUT_MS: '60000' }).pool).toMatchObject({ max: 25, connectionTimeoutMillis: 60_000 })
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(ConfigError)
    expect(() => loadConfig({ DATABASE_POOL_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_POOL_TIMEOUT_MS/)
  })
})

describe.runIf(ENGINE === 'postgres')('the PostgreSQL request pool', () => {
  it('runs without JIT compilation (it cost the plan-progress queries seconds)', async () => {
    const handle = await testDb()
    const { db } = kyselyOverPostgres(handle.url!)
    try {
      expect((await sql<{ jit: string }>`show jit`.execute(db)).rows[0]!.jit).toBe('off')
    } finally {
      await db.destroy()
      await handle.close()
    }
  })

  it('keeps its connections open while idle, with what each has prepared', async () => {
    const handle = await testDb()
    // Three requests at once open three connections; then the pool sits idle well past the timeout.
    const burst = async (db: ReturnType<typeof kyselyOverPostgres>['db']) => {
      const rows = await Promise.all([0, 1, 2].map(() => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(db)))
      return new Set(rows.map((r) => r.rows[0]!.pid))
    }
    const idle = () => new Promise((resolve) => setTimeout(resolve, 400))
    const kept = kyselyOverPostgres(handle.url!, () => {}, { max: 3, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 50 })
    const closing = kyselyOverPostgres(handle.url!, () => {}, { max: 3, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 50, keep: false })
    try {
      const before = await burst(kept.db)
      expect(before.size).toBe(3)
      await idle()
      expect(kept.pool.totalCount).toBe(3)
      // The same backends answer the next burst: their caches and prepared statements are warm.
      expect(await burst(kept.db)).toEqual(before)
      // Closed when idle, the next burst waits for new backends.
      const first = await burst(closing.db)
      await idle()
      expect(closing.pool.totalCount).toBe(0)
      expect([...(await burst(closing.db))].filter((pid) => first.has(pid))).toEqual([])
    } finally {
      await kept.db.destroy()
      await closing.db.destroy()
      await handle.close()
    }
  })

  it('opens all its connections at start, so the first burst does not wait for new backends', async () => {
    const handle = await testDb()
    const served = await connect({ databaseUrl: handle.url!, dataDir: '', pool: { max: 4, connectionTimeoutMillis: 10_000 } })
    const backends = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(handle.db)).rows[0]!.n)
    try {
      const before = await backends()
      expect(await served.openPool!()).toBe(4)
      expect(await backends()).toBe(before + 4)
      // The burst then runs on exactly those connections.
      const opened = new Set((await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(handle.db)).rows.map((r) => r.pid))
      const burst = await Promise.all([0, 1, 2, 3].map(() => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(served.db)))
      for (const r of burst) expect(opened.has(r.rows[0]!.pid)).toBe(true)
    } finally {
      await served.close()
      await handle.close()
    }
  })

  it('queues requests beyond its connections, and /healthz still reports the database up while they wait', async () => {
    const handle = await testDb()
    const { db, pool } = kyselyOverPostgres(handle.url!, () => {}, { max: 1, connectionTimeoutMillis: 20_000 })
    const app = createApp({ db, engine: 'postgres', config: testConfig, log: pino({ level: 'silent' }) })
    try {
      // One slow statement holds the only connection; two more queue behind it.
      const burst = [sql`select pg_sleep(4)`.execute(db), sql`select 1`.execute(db), sql`select 2`.execute(db)]
      while (pool.waitingCount === 0) await new Promise((r) => setTimeout(r, 10))
      const res = await app.request('/healthz')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ status: 'ok', db: 'ok' })
      // Health checks asked meanwhile share one connection beside the pool, not one each:
      // /healthz is public, and a flood of it must not use up the server's max_connections.
      const outside = outsidePoolOf(db)!
      const probes = Array.from({ length: 20 }, () => outside.probe())
      expect(new Set(probes).size).toBe(1)
      await Promise.all(probes)
      // Waiting is not failing: every queued statement gets its turn.
      await expect(Promise.all(burst)).resolves.toHaveLength(3)
    } finally {
      await db.destroy()
      await handle.close()
    }
  })
})
