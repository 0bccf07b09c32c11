import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Db } from '../../src/db/connect.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'
import { apiLogin, browserLogin, preparedDataDir, startServer, stopServer, waitHealthy, type Proc } from '../helpers/server-process.ts'

// A real server process killed with SIGKILL — nothing flushed, nothing closed — then started
// again on the same data: on the embedded database (a data directory) and on PostgreSQL.
const ADMIN = { email: 'failure.admin@example.se', password: 'failure admin password' }
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-failure-'))
let env: Record<string, string>
let pgHandle: Awaited<ReturnType<typeof testDb>> | undefined
let server: Proc | undefined

beforeAll(async () => {
  if (ENGINE === 'postgres') {
    pgHandle = await testDb()
    env = { DATABASE_URL: pgHandle.url! }
  } else {
    env = { DATA_DIR: await preparedDataDir(path.join(tmp, 'data')) }
  }
})
afterAll(async () => {
  if (server) await stopServer(server, 'SIGKILL')
  await pgHandle?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function boot(): Promise<Proc> {
  server = await startServer({ ...env, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' })
  await waitHealthy(server)
  return server
}

/** The database itself, with no server running (the embedded one is a single process). */
async function inspect<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (pgHandle) return fn(pgHandle.db)
  const handle = await connect({ dataDir: env.DATA_DIR! })
  try {
    return await fn(handle.db)
  } finally {
    await handle.close()
  }
}

/** Every write is audited in its own transaction: a record's version is the number of its audit rows. */
async function auditMismatches(db: Db, table: 'organisations' | 'contacts', type: string): Promise<unknown[]> {
  const rows = await sql<{ id: string }>`
    select o.id from ${sql.table(table)} o
     where o.version <> (select count(*) from audit_log a where a.entity_type = ${type} and a.entity_id = o.id)
    union all
    select a.entity_id from audit_log a where a.entity_type = ${type} and not exists (select 1 from ${sql.table(table)} o where o.id = a.entity_id)`.execute(db)
  return rows.rows
}

describe('a server killed with SIGKILL', () => {
  const acked = new Map<string, number>()

  it('keeps every write it acknowledged during a burst, and nothing half-written', async () => {
    const p = await boot()
    const headers = { ...(await apiLogin(p, ADMIN.email, ADMIN.password)), 'content-type': 'application/json' }
    let writing = true
    // Eight clients, each creating an organisation and then changing it, as fast as answered.
    const client = async (n: number) => {
      for (let i = 0; writing; i++) {
        const created = await fetch(`${p.url}/api/v1/organisations`, { method: 'POST', headers, body: JSON.stringify({ name: `Brandkåren ${n}-${i}`, kind: 'authority' }) }).catch(() => null)
        if (created?.status !== 201) return
        const o = await created.json()
        acked.set(o.id, o.version)
        const changed = await fetch(`${p.url}/api/v1/organisations/${o.id}`, { method: 'PATCH', headers, body: JSON.stringify({ version: o.version, notes: 'övning' }) }).catch(() => null)
        if (changed?.status !== 200) return
        acked.set(o.id, (await changed.json()).version)
      }
    }
    const clients = Array.from({ length: 8 }, (_, n) => client(n))
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 20))
    await stopServer(p, 'SIGKILL')
    writing = false
    await Promise.all(clients)

    await boot()
    await stopServer(server!)
    await inspect(async (db) => {
      const stored = new Map((await db.selectFrom('organisations').select(['id', 'version']).execute()).map((o) => [o.id, o.version]))
      for (const [id, version] of acked) expect(stored.get(id), id).toBeGreaterThanOrEqual(version)
      expect(await auditMismatches(db, 'organisations', 'organisation')).toEqual([])
    })
  }, 120_000)

  it('leaves nothing of an import it was running: the next start undoes what its batches wrote', async () => {
    const p = await boot()
    const browser = await browserLogin(p, ADMIN.email, ADMIN.password)
    const liveBefore = await inspectLive(p)
    const rows = Array.from({ length: 3000 }, (_, i) => `Hemvärnsgruppen ${i};authority`)
    const body = new FormData()
    body.set('entity', 'organisations')
    body.set('file', new File([`Namn;Typ\r\n${rows.join('\r\n')}\r\n`], 'hemvarn.csv', { type: 'text/csv' }))
    const uploaded = await fetch(`${p.url}/import`, { method: 'POST', redirect: 'manual', headers: browser, body })
    const mapping = uploaded.headers.get('location')!
    const form = { ...browser, 'content-type': 'application/x-www-form-urlencoded' }
    expect((await fetch(`${p.url}${mapping}`, { method: 'POST', redirect: 'manual', headers: form, body: 'map_0=name&map_1=kind' })).status).toBe(303)
    const run = await fetch(`${p.url}${mapping.replace('/mapping', '/run')}`, { method: 'POST', redirect: 'manual', headers: form, body: '' })
    const reportPath = run.headers.get('location')!
    // Killed once some batches are in, before the last.
    for (;;) {
      const progress = await (await fetch(`${p.url}${reportPath}/progress`, { headers: { cookie: browser.cookie } })).text()
      const done = Number(/(\d+) av 3000 rader klara/.exec(progress)?.[1] ?? 0)
      if (done > 0) {
        expect(done).toBeLessThan(3000)
        break
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    await stopServer(p, 'SIGKILL')

    const again = await boot()
    const cookie = (await browserLogin(again, ADMIN.email, ADMIN.password)).cookie
    for (let i = 0; ; i++) {
      const page = await (await fetch(`${again.url}${reportPath}`, { headers: { cookie } })).text()
      if (page.includes('Importen avbröts')) break
      if (i > 600) throw new Error('the interrupted import was not undone')
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(await inspectLive(again)).toBe(liveBefore)
    await stopServer(again)
    await inspect(async (db) => {
      const written = await db.selectFrom('organisations').select('id').where('name', 'like', 'Hemvärnsgruppen %').execute()
      expect(written.length).toBeGreaterThan(0)
      const live = await db.selectFrom('organisations').select('id').where('name', 'like', 'Hemvärnsgruppen %').where('deleted_at', 'is', null).execute()
      expect(live).toEqual([])
      expect(await auditMismatches(db, 'organisations', 'organisation')).toEqual([])
    })
  }, 120_000)
})

/** How many live organisations the API lists (it pages by 200). */
async function inspectLive(p: Proc): Promise<number> {
  const headers = await apiLogin(p, ADMIN.email, ADMIN.password)
  let count = 0
  let cursor: string | null = null
  do {
    const res = await fetch(`${p.url}/api/v1/organisations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers })
    const page = (await res.json()) as { data: unknown[]; next_cursor: string | null }
    count += page.data.length
    cursor = page.next_cursor
  } while (cursor)
  return count
}
