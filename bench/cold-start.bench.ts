/**
 * First start on an empty DATA_DIR, with and without the migrated template (src/db/template.ts):
 * from spawning `node src/server.ts` to the first 200 from /healthz, and the server's CPU time
 * then; and a start on an existing database beside them. `npm run bench:cold-start` (BENCH_RUNS, default 3). PGlite only. The load average is
 * printed with every figure: on a shared machine the CPU time is the steadier one.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './serve.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-cold-'))


function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

async function start(dataDir: string, templates: string) {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], {
    cwd: ROOT, stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir, PGLITE_TEMPLATE_DIR: templates },
  })
  const exited = new Promise((r) => child.once('exit', r))
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
    if (ok) break
    if (child.exitCode !== null) throw new Error('the server exited')
    await new Promise((r) => setTimeout(r, 20))
  }
  const ms = Math.round(performance.now() - t0)
  const cpu = cpuMs(child.pid!)
  const load = Math.round(os.loadavg()[0]! * 100) / 100
  child.kill('SIGTERM')
  await exited
  return { ms, cpu_ms: cpu, load }
}

const results: Record<string, unknown[]> = { without_template: [], with_template: [], existing: [] }
for (let i = 0; i < RUNS; i++) {
  // A new template directory each time: the start migrates from nothing (and keeps a template).
  const none = path.join(base, `none-${i}`)
  results.without_template!.push(await start(path.join(base, `a-${i}`), none))
  // The template the start above kept: the next empty directory unpacks it.
  results.with_template!.push(await start(path.join(base, `b-${i}`), none))
  // For comparison: a start on the database the run above made (not empty any more).
  results.existing!.push(await start(path.join(base, `b-${i}`), none))
}
fs.rmSync(base, { recursive: true, force: true })
console.log(JSON.stringify(results, null, 2))
