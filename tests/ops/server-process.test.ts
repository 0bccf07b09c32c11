import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ENGINE } from '../helpers/engines.ts'
import { startServer as startServerIn, waitHealthy, type Proc } from '../helpers/server-process.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-proc-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

const startServer = (env: Record<string, string> = {}) => startServerIn({ DATA_DIR: dataDir, ...env })

async function logIn(p: Proc, email: string, password: string): Promise<Response> {
  return fetch(`${p.url}/api/v1/sessions`, {
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
