import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

// What the benchmarks that start the server share: a free port, the server as a child process,
// its resident memory from /proc, the load average.

export const ROOT = path.resolve(import.meta.dirname, '..')
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits
export const load = () => round(os.loadavg()[0]!, 2)

/** VmRSS (resident now) or VmHWM (its peak) of a process, in MiB. */
export function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? round(Number(m[1]) / 1024, 0) : NaN
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

export interface Server { child: ChildProcess; url: string; stop(): Promise<void> }

/** `node <args>` on a free port ($PORT in args), answered once `ready(url)` is true. */
export async function startServer(args: string[], env: Record<string, string>, ready: (url: string) => Promise<boolean>): Promise<Server> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...args.map((a) => a.replace('$PORT', String(port)))], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  while (!(await ready(url).catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${err}`)
    if (performance.now() - started > 180_000) throw new Error(`no answer in 180 s: ${err}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return { child, url, async stop() { child.kill('SIGTERM'); await exited } }
}

/** The app's server (src/server.ts) on this database, ready once /healthz answers. */
export const startApp = (env: Record<string, string>) => startServer(['src/server.ts'], env, async (url) => (await fetch(`${url}/healthz`)).ok)
