import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ENGINE } from '../helpers/engines.ts'
import { apiLogin, freePort, startServer, stopServer, waitHealthy, type Proc } from '../helpers/server-process.ts'

// A PostgreSQL server of the test's own (never the shared one), stopped while requests are in
// flight and started again, under a real app process that is not restarted.
// Debian's server binaries, whatever major version the machine has (the newest).
const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : []
const BIN = `/usr/lib/postgresql/${versions[0] ?? '15'}/bin`
const asRoot = process.getuid?.() === 0
const available = fs.existsSync(`${BIN}/initdb`) && (!asRoot || spawnSync('runuser', ['--help']).status === 0)
if (ENGINE === 'postgres' && !available) {
  // In CI nothing may skip silently: there the missing server binaries are a failure.
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`postgres-outage: ${BIN}/initdb is not installed (CI requires it)`)
  console.warn(`postgres-outage: skipped because ${BIN}/initdb is not installed`)
}

const ADMIN = { email: 'outage.admin@example.se', password: 'outage admin password' }
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-pg-outage-'))
const dataDir = path.join(tmp, 'cluster')
let port = 0
let app: Proc | undefined

/** pg_ctl and initdb refuse to run as root: as the postgres user then. */
function pgCommand(cmd: string, args: string[]): string {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', `${BIN}/${cmd}`, ...args]] : [`${BIN}/${cmd}`, args]
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}
const pgCtl = (...args: string[]) => pgCommand('pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args])
const startCluster = () => pgCtl('-l', path.join(tmp, 'postgres.log'), '-o', `-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start')

afterAll(async () => {
  if (app) await stopServer(app, 'SIGKILL')
  try {
    pgCtl('-m', 'immediate', 'stop')
  } catch {
    // not running
  }
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe.runIf(ENGINE === 'postgres' && available)('PostgreSQL stopped under a running app', () => {
  it('answers 503 while it is down — in-flight requests included, never a 500 — and recovers by itself', async () => {
    fs.chmodSync(tmp, 0o777)
    if (asRoot) execFileSync('chown', ['postgres', tmp])
    pgCommand('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    // A free port may be taken before PostgreSQL listens (freePort): then once more on another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort()
      try {
        startCluster()
        break
      } catch (e) {
        const log = path.join(tmp, 'postgres.log')
        if (attempt === 3 || !fs.existsSync(log) || !/already in use/.test(fs.readFileSync(log, 'utf8'))) throw e
      }
    }
    app = await startServer({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' })
    await waitHealthy(app)
    const p = app
    const headers = { ...(await apiLogin(p, ADMIN.email, ADMIN.password)), 'content-type': 'application/json' }

    // Requests in flight while the server goes down.
    const acked: string[] = []
    const statuses: number[] = []
    let writing = true
    const client = async (n: number) => {
      for (let i = 0; writing; i++) {
        const res = await fetch(`${p.url}/api/v1/organisations`, { method: 'POST', headers, body: JSON.stringify({ name: `Räddningstjänsten ${n}-${i}`, kind: 'municipality' }) })
        statuses.push(res.status)
        if (res.status === 201) acked.push((await res.json()).id)
        else await res.text()
        if (res.status === 503) return
      }
    }
    const clients = Array.from({ length: 4 }, (_, n) => client(n))
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 20))
    pgCtl('-m', 'immediate', 'stop')
    // Each writer goes on until it meets the dead server (its 503 ends it); stopping them at once
    // let every in-flight write finish first on an idle machine, so no request saw the outage.
    const bound = setTimeout(() => { writing = false }, 15_000)
    await Promise.all(clients)
    clearTimeout(bound)
    expect(statuses.filter((s) => s !== 201 && s !== 503), p.output().split('\n').filter((l) => l.includes('unhandled')).join('\n')).toEqual([])
    expect(statuses).toContain(503)

    const health = await fetch(`${p.url}/healthz`)
    expect(health.status).toBe(503)
    expect(await health.json()).toEqual({ status: 'error', db: 'down' })
    const page = await fetch(`${p.url}/login`)
    expect(page.status).toBe(503)
    expect(await page.text()).toContain('Databasen går inte att nå just nu.')
    const api = await fetch(`${p.url}/api/v1/organisations`, { headers })
    expect(api.status).toBe(503)
    expect((await api.json()).error.code).toBe('unavailable')

    startCluster()
    for (let i = 0; (await fetch(`${p.url}/healthz`)).status !== 200; i++) {
      if (i > 300) throw new Error('the app did not come back')
      await new Promise((r) => setTimeout(r, 100))
    }
    for (const id of acked) expect((await fetch(`${p.url}/api/v1/organisations/${id}`, { headers })).status).toBe(200)
    const after = await fetch(`${p.url}/api/v1/organisations`, { method: 'POST', headers, body: JSON.stringify({ name: 'Räddningstjänsten efteråt', kind: 'municipality' }) })
    expect(after.status).toBe(201)
    expect(p.child.exitCode).toBeNull()
  }, 120_000)
})
