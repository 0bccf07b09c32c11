import net from 'node:net'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { kyselyOverPostgres } from '../../src/db/connect.ts'
import { testConfig, testApp, type TestApp } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('/healthz', () => {
  it('reports the database up, without a login', async () => {
    const res = await t.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' })
  })

  it('answers 503 when the database is gone', async () => {
    const handle = await testDb()
    const app = createApp({ db: handle.db, engine: handle.engine, config: testConfig, log: pino({ level: 'silent' }) })
    expect((await app.request('/healthz')).status).toBe(200)
    await handle.close()
    const res = await app.request('/healthz')
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'error', db: 'down' })
    // Pages say so in words rather than with a stack trace.
    const page = await app.request('/login')
    expect(page.status).toBe(503)
    expect(await page.text()).toContain('Databasen går inte att nå just nu.')
  })
})

/** A TCP relay we can cut and restore, standing in for a network or server outage. */
function relay(targetPort: number) {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  return {
    async listen(port = 0): Promise<number> {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
      return (server.address() as net.AddressInfo).port
    },
    async cut() {
      for (const s of sockets) s.destroy()
      sockets.clear()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe.runIf(ENGINE === 'postgres')('/healthz on PostgreSQL', () => {
  it('goes to 503 when the connection drops and back to 200 by itself when it returns', async () => {
    const handle = await testDb()
    const url = new URL(handle.url!)
    const first = relay(Number(url.port || 5432))
    const port = await first.listen()
    url.hostname = '127.0.0.1'
    url.port = String(port)
    const { db } = kyselyOverPostgres(url.toString())
    const app = createApp({ db, engine: 'postgres', config: testConfig, log: pino({ level: 'silent' }) })
    try {
      expect((await app.request('/healthz')).status).toBe(200)
      await first.cut()
      expect((await app.request('/healthz')).status).toBe(503)
      expect((await app.request('/api/v1/users', { headers: { authorization: 'Bearer a.b' } })).status).toBe(503)
      const second = relay(Number(new URL(handle.url!).port || 5432))
      await second.listen(port)
      expect((await app.request('/healthz')).status).toBe(200)
      await second.cut()
    } finally {
      await db.destroy().catch(() => {})
      await handle.close()
    }
  })
})
