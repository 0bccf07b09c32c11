import pino from 'pino'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { kyselyOverPostgres, outsidePoolOf } from '../../src/db/connect.ts'
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
