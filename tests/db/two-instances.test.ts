import pg from 'pg'
import pino from 'pino'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { LOGIN_LIMITS } from '../../src/auth/rate-limit.ts'
import { layoutsComputed } from '../../src/network/layout.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { networkView } from '../../src/network/view.ts'
import { kyselyOverPostgres, type Db } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { migrations } from '../../migrations/index.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, testConfig, type TestApp } from '../helpers/app.ts'
import { databaseUrlFor, ENGINE, TEST_DATABASE_URL } from '../helpers/engines.ts'

// Two app instances on one PostgreSQL (README, "How a deployment grows"): whatever one instance
// knows that the other must know too lives in the database — sessions, the login rate limit, the
// migrations run.
const on = ENGINE === 'postgres'
let a: TestApp
let other: Db
let b: ReturnType<typeof createApp>
beforeAll(async () => {
  if (!on) return
  a = await testApp()
  other = kyselyOverPostgres(a.url!).db
  b = createApp({ db: other, engine: 'postgres', config: testConfig, log: pino({ level: 'silent' }) })
})
afterAll(async () => {
  await other?.destroy()
  await a?.close()
})

const from = (ip: string, init: RequestInit): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': ip } })

describe.skipIf(!on)('two instances on one PostgreSQL', () => {
  it('a session made on one works on the other, and a log-out on the other ends it', async () => {
    const u = await a.user('viewer')
    const res = await a.request('/login', formPost({ email: u.email, password: PASSWORD }))
    expect(res.status).toBe(303)
    const cookie = `session=${cookieFrom(res, 'session')}`
    expect((await b.request('/contacts', { headers: { cookie } })).status).toBe(200)
    expect((await b.request('/logout', formPost({}, cookie))).status).toBe(303)
    expect((await a.request('/contacts', { headers: { cookie } })).status).not.toBe(200)
  })

  it('shares the login rate limit: failures on one instance lock the account on the other', async () => {
    const u = await a.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max; i++) {
      const app = i % 2 === 0 ? a.app : b
      expect((await app.request('/login', from('203.0.113.20', formPost({ email: u.email, password: 'wrong wrong wrong' })))).status).toBe(401)
    }
    expect((await b.request('/login', from('203.0.113.20', formPost({ email: u.email, password: PASSWORD })))).status).toBe(429)
    expect((await a.request('/login', from('203.0.113.20', formPost({ email: u.email, password: PASSWORD })))).status).toBe(429)
  })

  it('computes a large view\'s layout once between them, each serving the same positions', async () => {
    const editor = await a.apiToken('editor')
    const ids: string[] = []
    for (const n of [1, 2, 3]) ids.push((await (await a.request('/api/v1/organisations', jsonRequest('POST', { name: `Tvåkommun ${n}`, kind: 'municipality' }, editor.headers))).json()).id)
    await a.request('/api/v1/organisation-relationships', jsonRequest('POST', { from_organisation_id: ids[0], to_organisation_id: ids[1], type: 'partner_of' }, editor.headers))
    // Each instance has its own database handle (its own in-process jobs); only the claim in the database is shared.
    const q = networkQuery.parse({ types: 'organisation', layout: 'server', at: '2025-06-01' })
    const before = layoutsComputed()
    const [onA, onB] = await Promise.all([networkView(a.db, q, { layoutWaitMs: 60_000 }), networkView(other, q, { layoutWaitMs: 60_000 })])
    expect(layoutsComputed() - before).toBe(1)
    expect(onA.nodes.every((n) => typeof n.x === 'number')).toBe(true)
    expect(onB.nodes.map((n) => [n.id, n.x, n.y])).toEqual(onA.nodes.map((n) => [n.id, n.x, n.y]))
  }, 60_000)

  it('migrates once when both start at the same time on an empty database', async () => {
    const name = `navet_two_${process.pid}_${Date.now() % 100000}`
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const [one, two] = [kyselyOverPostgres(databaseUrlFor(name)).db, kyselyOverPostgres(databaseUrlFor(name)).db]
    try {
      const [r1, r2] = await Promise.all([migrateToLatest(one), migrateToLatest(two)])
      const ran = [...(r1.results ?? []), ...(r2.results ?? [])].filter((r) => r.status === 'Success').map((r) => r.migrationName)
      // Every migration ran, each once, by one of the two.
      expect(ran.sort()).toEqual(Object.keys(migrations).sort())
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(one)
      expect(rows[0]!.n).toBe(Object.keys(migrations).length)
    } finally {
      await one.destroy()
      await two.destroy()
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }, 120_000)
})
