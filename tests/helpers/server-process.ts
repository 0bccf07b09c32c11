import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { inject } from 'vitest'
import { openPglite } from '../../src/db/connect.ts'
import { ROOT } from '../../src/paths.ts'
import { listeningPort } from './listening-port.ts'

/** A data directory holding the run's migrated template: a server starts on it in seconds. */
export async function preparedDataDir(dir: string): Promise<string> {
  const dump = fs.readFileSync(inject('pgliteTemplate'))
  const pglite = await openPglite({ dataDir: dir, loadDataDir: new Blob([dump]) })
  await pglite.close()
  return dir
}

/**
 * A port free now, for servers that cannot be started on port 0 (PostgreSQL, dovecot): another
 * process may take it before they listen, so their starters try again on another (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

export interface Proc {
  child: ChildProcess
  /** Known once waitHealthy has returned: the server listens on a port the system chose. */
  port: number
  url: string
  output: () => string
  exited: Promise<number | null>
}

/**
 * The real server (`node src/server.ts`) as a child process on port 0 (the system chooses; waitHealthy
 * reads which from /proc): on the embedded database in `dataDir`, or on PostgreSQL when env sets
 * DATABASE_URL. `wrap` runs it under another command (e.g. `unshare --pid --fork`).
 */
export async function startServer(env: Record<string, string>, wrap: string[] = []): Promise<Proc> {
  const node = [process.execPath, '--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts']
  const [cmd, ...args] = [...wrap, ...node]
  const child = spawn(cmd!, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))))
  return { child, port: 0, url: '', output: () => out, exited }
}

/** The process to signal: the server itself, also when it runs under a wrapper such as unshare. */
function serverPid(p: Proc): number {
  const pid = p.child.pid!
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    if (children.length === 1) return Number(children[0])
  } catch {
    // not Linux, or already gone
  }
  return pid
}

/** Sends the server a signal (SIGKILL: it dies at once, nothing cleaned up) and waits for it to be gone. */
export async function stopServer(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  try {
    process.kill(serverPid(p), signal)
  } catch {
    // already gone
  }
  return p.exited
}

/** Waits until the server listens and answers /healthz; sets `port` and `url`. */
export async function waitHealthy(p: Proc, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  void p.exited.then(() => (exited = true))
  while (Date.now() < deadline && !exited) {
    if (!p.port) {
      p.port = listeningPort(serverPid(p)) ?? 0
      p.url = p.port ? `http://127.0.0.1:${p.port}` : ''
    }
    try {
      if (p.port && (await fetch(`${p.url}/healthz`)).ok) return
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not become healthy:\n${p.output()}`)
}

/** Signs in through the API; returns the bearer headers. */
export async function apiLogin(p: Proc, email: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${p.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return { authorization: `Bearer ${(await res.json()).token}` }
}

/** Signs in through the login form as a browser does; returns the cookie header and same-origin headers. */
export async function browserLogin(p: Proc, email: string, password: string): Promise<{ origin: string; 'sec-fetch-site': string; cookie: string }> {
  const same = { origin: p.url, 'sec-fetch-site': 'same-origin' }
  const res = await fetch(`${p.url}/login`, { method: 'POST', redirect: 'manual', headers: { ...same, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }) })
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  if (!cookie.includes('session=')) throw new Error(`login failed: ${res.status}`)
  return { ...same, cookie }
}
