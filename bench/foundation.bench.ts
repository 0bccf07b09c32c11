/**
 * Foundation figures: cold start, throughput of /healthz and /login, memory.
 *
 *   npm run bench                                   embedded database (PGlite)
 *   DATABASE_URL=postgres://… npm run bench         PostgreSQL: works in a fresh database
 *                                                   `navet_bench` on that server, dropped after
 *
 * The server runs as its own process (`node src/server.ts`, LOG_LEVEL=warn) on 127.0.0.1 and a
 * free port; autocannon loads it from this process over loopback only. Results go to
 * bench/results/foundation-<engine>.json and are printed as a markdown table.
 *
 * BENCH_RUNS (default 3) and BENCH_DURATION (seconds, default 10) shorten a trial run.
 * Figures, not assertions: nothing here belongs in the test suite.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from './serve.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = 10
const START_TIMEOUT_MS = 120_000
const ADMIN = { email: 'bench@example.se', password: 'bench-password-16' }
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench'

// autocannon ships no types; the little used here.
interface Histogram {
  average: number
  mean: number
  p50: number
  p97_5: number
  p99: number
  max: number
}
interface AutocannonResult {
  requests: Histogram & { total: number }
  latency: Histogram
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats: Record<string, { count: number }>
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

// ---------------------------------------------------------------------------------------------


function rssKiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return m ? Number(m[1]) : NaN
}

/** CPU time (user + system, all threads) the process has used so far, in ms: unlike wall time, it barely moves when other work shares the cores. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 and 15 of proc(5) (utime, stime), counted from the state field (3): indexes 11, 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}
const CLOCK_TICKS = 100

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

interface Server {
  child: ChildProcess
  url: string
  /** Milliseconds from spawn to the first 200 from /healthz. */
  startMs: number
  /** CPU time the server had used by then. */
  startCpuMs: number
  output: () => string
  stop(): Promise<number | null>
}

/** Spawns the server and waits for /healthz 200; the clock runs from just before spawn. */
async function startServer(db: { dataDir?: string; url?: string }, withAdmin: boolean): Promise<Server> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  delete env.DATA_DIR
  delete env.ADMIN_EMAIL
  delete env.ADMIN_PASSWORD
  if (db.url) env.DATABASE_URL = db.url
  if (db.dataDir) env.DATA_DIR = db.dataDir
  if (withAdmin) Object.assign(env, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })

  let out = ''
  const started = performance.now()
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`

  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start (code ${child.exitCode}):\n${out}`)
    if (performance.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGKILL')
      throw new Error(`no 200 from /healthz within ${START_TIMEOUT_MS / 1000} s:\n${out}`)
    }
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) break
    await new Promise((r) => setTimeout(r, 20))
  }
  const startMs = performance.now() - started
  const startCpuMs = cpuMs(child.pid!)
  return {
    child,
    url,
    startMs,
    startCpuMs,
    output: () => out,
    async stop() {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The database under test: a fresh DATA_DIR, or a fresh database on the given PostgreSQL server.

interface Target {
  /** A new, empty database for one run. */
  fresh(): Promise<{ dataDir?: string; url?: string }>
  cleanup(): Promise<void>
}

function pgliteTarget(): Target {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-'))
  let n = 0
  return {
    fresh: async () => ({ dataDir: path.join(base, `data-${n++}`) }),
    cleanup: async () => fs.rmSync(base, { recursive: true, force: true }),
  }
}

function postgresTarget(serverUrl: string): Target {
  const url = new URL(serverUrl)
  url.pathname = `/${BENCH_DB}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  return {
    async fresh() {
      await admin(`drop database if exists ${BENCH_DB} with (force)`)
      await admin(`create database ${BENCH_DB}`)
      return { url: url.toString() }
    },
    cleanup: () => admin(`drop database if exists ${BENCH_DB} with (force)`),
  }
}

// ---------------------------------------------------------------------------------------------

interface LoadFigures {
  path: string
  status: number
  requests_per_s_avg: number
  latency_ms: { p50: number; p97_5: number; p99: number; avg: number; max: number }
  requests_total: number
  non2xx: number
  errors: number
  timeouts: number
}

async function load(base: string, urlPath: string): Promise<LoadFigures> {
  const probe = await fetch(base + urlPath, { redirect: 'manual' })
  await probe.arrayBuffer()
  const r = await autocannon({ url: base + urlPath, connections: CONNECTIONS, duration: DURATION_S })
  return {
    path: urlPath,
    status: probe.status,
    requests_per_s_avg: round(r.requests.average),
    latency_ms: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, avg: round(r.latency.average, 2), max: r.latency.max },
    requests_total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  }
}

async function main() {
  const target = ENGINE === 'postgres' ? postgresTarget(process.env.DATABASE_URL!) : pgliteTarget()
  const load1 = os.loadavg()[0]!
  const notes: string[] = []
  try {
    // Cold start on an empty database: connect (PGlite: create its files), migrate, listen.
    const emptyMs: number[] = []
    const emptyCpuMs: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const server = await startServer(await target.fresh(), false)
      emptyMs.push(server.startMs)
      emptyCpuMs.push(server.startCpuMs)
      const code = await server.stop()
      if (code !== 0) notes.push(`empty-start run ${i + 1} exited with code ${code}`)
      process.stderr.write(`cold start, empty database, run ${i + 1}: ${Math.round(server.startMs)} ms (CPU ${Math.round(server.startCpuMs)} ms)\n`)
    }

    // One database with the bench admin, started again and again: the existing-database start.
    const db = await target.fresh()
    const first = await startServer(db, true)
    await first.stop()
    const existingMs: number[] = []
    const existingCpuMs: number[] = []
    let server: Server | undefined
    for (let i = 0; i < RUNS; i++) {
      server = await startServer(db, true)
      existingMs.push(server.startMs)
      existingCpuMs.push(server.startCpuMs)
      process.stderr.write(`cold start, existing database, run ${i + 1}: ${Math.round(server.startMs)} ms (CPU ${Math.round(server.startCpuMs)} ms)\n`)
      if (i < RUNS - 1) {
        const code = await server.stop()
        if (code !== 0) notes.push(`existing-start run ${i + 1} exited with code ${code}`)
      }
    }

    // The last one stays up: memory after start, then load.
    const s = server!
    const rssAfterStart = rssKiB(s.child.pid!)
    process.stderr.write(`RSS after start: ${Math.round(rssAfterStart / 1024)} MiB; loading /healthz for ${DURATION_S} s\n`)
    const healthz = await load(s.url, '/healthz')
    process.stderr.write(`loading /login for ${DURATION_S} s\n`)
    const login = await load(s.url, '/login')
    const rssAfterLoad = rssKiB(s.child.pid!)
    const rssPeak = rssKiB(s.child.pid!, 'VmHWM')
    const exitCode = await s.stop()
    if (exitCode !== 0) notes.push(`server exited with code ${exitCode} after SIGTERM:\n${s.output()}`)
    for (const l of [healthz, login]) {
      if (l.status !== 200) notes.push(`${l.path} answered ${l.status}, not 200`)
      if (l.non2xx || l.errors || l.timeouts) notes.push(`${l.path}: ${l.non2xx} non-2xx, ${l.errors} errors, ${l.timeouts} timeouts`)
    }

    const cpus = os.cpus()
    const results = {
      benchmark: 'foundation',
      engine: ENGINE,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpu_model: cpus[0]?.model ?? 'unknown',
        memory_gib: round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        load_avg_1m_at_start: round(load1, 2),
        load_avg_1m_at_end: round(os.loadavg()[0]!, 2),
      },
      settings: { runs: RUNS, connections: CONNECTIONS, duration_s: DURATION_S, log_level: 'warn' },
      cold_start_ms: {
        empty: { median: Math.round(median(emptyMs)), runs: emptyMs.map(Math.round) },
        existing: { median: Math.round(median(existingMs)), runs: existingMs.map(Math.round) },
      },
      cold_start_cpu_ms: {
        empty: { median: Math.round(median(emptyCpuMs)), runs: emptyCpuMs.map(Math.round) },
        existing: { median: Math.round(median(existingCpuMs)), runs: existingCpuMs.map(Math.round) },
      },
      rss_mib: {
        after_start: round(rssAfterStart / 1024),
        after_load: round(rssAfterLoad / 1024),
        peak: round(rssPeak / 1024),
      },
      load: [healthz, login],
      notes,
    }
    const dir = path.join(ROOT, 'bench', 'results')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `foundation-${ENGINE}.json`)
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n')

    const lines = [
      `### Foundation, ${ENGINE} — ${results.date.slice(0, 10)}, ${cpus.length} cores (${results.machine.cpu_model}), Node ${process.version}, load average ${results.machine.load_avg_1m_at_start} at start, ${results.machine.load_avg_1m_at_end} at end`,
      '',
      '| figure | value |',
      '| --- | --- |',
      `| cold start, empty database (median of ${RUNS}) | ${results.cold_start_ms.empty.median} ms (${results.cold_start_ms.empty.runs.join(', ')}) |`,
      `| cold start, existing database (median of ${RUNS}) | ${results.cold_start_ms.existing.median} ms (${results.cold_start_ms.existing.runs.join(', ')}) |`,
      `| CPU time to start, empty / existing (median) | ${results.cold_start_cpu_ms.empty.median} / ${results.cold_start_cpu_ms.existing.median} ms |`,
      `| RSS after start / after load / peak | ${results.rss_mib.after_start} / ${results.rss_mib.after_load} / ${results.rss_mib.peak} MiB |`,
      '',
      `| endpoint (${CONNECTIONS} connections, ${DURATION_S} s) | req/s avg | p50 ms | p97.5 ms | p99 ms | non-2xx / errors |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...[healthz, login].map(
        (l) => `| GET ${l.path} | ${l.requests_per_s_avg} | ${l.latency_ms.p50} | ${l.latency_ms.p97_5} | ${l.latency_ms.p99} | ${l.non2xx} / ${l.errors} |`,
      ),
      '',
      `Written to ${path.relative(ROOT, file)}.`,
    ]
    console.log(lines.join('\n'))
    if (notes.length > 0) {
      console.error(`\nProblems:\n- ${notes.join('\n- ')}`)
      process.exitCode = 1
    }
  } finally {
    await target.cleanup()
  }
}

await main()
