import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../src/paths.ts'
import { ENGINE } from '../helpers/engines.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-proc-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

async function freePort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

interface Proc {
  child: ChildProcess
  port: number
  output: () => string
  exited: Promise<number | null>
}

async function startServer(env: Record<string, string> = {}): Promise<Proc> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, port, output: () => out, exited }
}

async function waitHealthy(p: Proc): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${p.port}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not become healthy:\n${p.output()}`)
}

// These tests are about the embedded database's data directory, so they run in the PGlite pass.
async function logIn(p: Proc, email: string, password: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${p.port}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
}

// These tests are about the embedded database's data directory, so they run in the PGlite pass.
describe.runIf(ENGINE === 'pglite')('the server process on a data directory', () => {
  let restarted: Proc

  it('creates the configured admin, stops cleanly on SIGTERM, and keeps every record across a restart', { timeout: 240_000 }, async () => {
    const p = await startServer({ ADMIN_EMAIL: 'proc.admin@example.se', ADMIN_PASSWORD: 'process admin password' })
    await waitHealthy(p)
    const login = await logIn(p, 'proc.admin@example.se', 'process admin password')
    expect(login.status).toBe(201)
    const { token } = await login.json()
    const created = await fetch(`http://127.0.0.1:${p.port}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ email: 'kept@example.se', name: 'Kerstin Kvar', password: 'survives a restart' }),
    })
    expect(created.status).toBe(201)
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    // Nothing secret in the log.
    expect(p.output()).not.toContain('process admin password')
    expect(p.output()).not.toContain(token)

    restarted = await startServer()
    await waitHealthy(restarted)
    expect((await logIn(restarted, 'kept@example.se', 'survives a restart')).status).toBe(201)
  })

  it('refuses to open a data directory another server has open, with a clear message', { timeout: 240_000 }, async () => {
    const second = await startServer()
    expect(await second.exited).toBe(1)
    expect(second.output()).toMatch(/data directory .* is in use by another server \(pid \d+\)/)
    expect((await fetch(`http://127.0.0.1:${restarted.port}/healthz`)).status).toBe(200)
    restarted.child.kill('SIGINT')
    expect(await restarted.exited).toBe(0)
  })
})
