import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import type { AppEnv } from '../../src/app-env.ts'
import { publicAccess } from '../../src/auth/roles.ts'
import { versioned } from '../../src/db/data-version.ts'
import { features } from '../../src/features.ts'
import { createLogger } from '../../src/log.ts'
import type { Feature } from '../../src/web/plug-in.ts'
import { testConfig } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

// A read whose client leaves stops at its next query (src/db/client-gone.ts); a write does not,
// and a computation other requests share goes on for them.

const STEPS = 40
const STEP_SECONDS = 0.05
const ran: Record<string, number> = { read: 0, write: 0, shared: 0 }
const entered: Record<string, number> = { read: 0, write: 0, shared: 0 }

async function slowly(db: AppEnv['Variables']['db'], counter: string): Promise<number> {
  for (let i = 0; i < STEPS; i++) {
    await sql`select pg_sleep(${STEP_SECONDS})`.execute(db)
    ran[counter]!++
  }
  return ran[counter]!
}

const probe: Feature = {
  name: 'client-gone-probe',
  routes: new Hono<AppEnv>()
    .get('/probe/read', publicAccess, async (c) => {
      entered.read!++
      return c.text(String(await slowly(c.get('db'), 'read')))
    })
    .post('/probe/write', publicAccess, async (c) => {
      entered.write!++
      return c.text(String(await slowly(c.get('db'), 'write')))
    })
    .get('/probe/shared', publicAccess, async (c) => {
      entered.shared!++
      return c.text(String(await versioned(c.get('db'), `probe-${c.req.query('k')}`, (tx) => slowly(tx, 'shared'))))
    }),
  crossSitePosts: ['/probe/write'],
}

let handle: Awaited<ReturnType<typeof testDb>>
let server: ServerType
let base: string
const lines: string[] = []

beforeAll(async () => {
  handle = await testDb()
  const log = createLogger('debug', new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done() } }))
  const app = createApp({ db: handle.db, engine: handle.engine, config: testConfig, log }, [...features, probe])
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await handle.close()
})

/** Asks for path; `hangUp` leaves before the answer. */
function ask(path: string, method: string) {
  let req!: http.ClientRequest
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = http.request(`${base}${path}`, { method, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
  answer.catch(() => {})
  return { answer, hangUp: () => req.destroy() }
}

/** Waits (in steps that let the server's queries through) until `done` holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 25))
  if (!done()) throw new Error(`gave up waiting for ${what}`)
}

type Entry = { level: number; status?: number; path?: string }
const logged = (): Entry[] => lines.map((l) => JSON.parse(l) as Entry)

describe('a client that leaves before the answer', () => {
  it('stops a read at its next query, answered 499 without an error in the log', { timeout: 30_000 }, async () => {
    lines.length = 0
    const client = ask('/probe/read', 'GET')
    await until(() => ran.read! >= 2, 'the read to start')
    client.hangUp()
    await until(() => logged().some((e) => e.path === '/probe/read'), 'the read to end')
    // Its query under way when the client left ran; none after it.
    expect(ran.read).toBeLessThan(STEPS / 2)
    expect(logged().find((e) => e.path === '/probe/read')?.status).toBe(499)
    expect(logged().filter((e) => e.level >= 50)).toEqual([])
  })

  it('lets a write run to its end', { timeout: 30_000 }, async () => {
    const client = ask('/probe/write', 'POST')
    await until(() => ran.write! >= 2, 'the write to start')
    client.hangUp()
    await until(() => ran.write === STEPS, 'the write to finish')
  })

  // On PostgreSQL: on the embedded engine the computation's transaction holds the one connection,
  // so a second request queues behind it before it can join (and then finds the result or computes).
  it.runIf(ENGINE === 'postgres')('does not stop a computation another request is waiting for', { timeout: 30_000 }, async () => {
    const k = String(Date.now())
    const first = ask(`/probe/shared?k=${k}`, 'GET')
    await until(() => ran.shared! >= 1, 'the computation to start')
    const second = ask(`/probe/shared?k=${k}`, 'GET')
    await until(() => entered.shared === 2, 'the second request to arrive')
    first.hangUp()
    expect(await second.answer).toEqual({ status: 200, body: String(STEPS) })
    expect(ran.shared).toBe(STEPS)
  })
})
