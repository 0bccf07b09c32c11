/**
 * Load (issue 10): autocannon against a real server process (`node src/server.ts`) with a mixed
 * workload of a signed-in editor — list pages, record pages, search, API lists, and writes
 * (interactions and contacts created through the API, 2 requests in 10) — at 1, 10 and 50
 * connections. Reports latency p50/p97.5/p99, requests/s, errors, timeouts, non-2xx (and 5xx
 * apart), and the server's RSS before and after each level.
 *
 *   npm run bench:load                          embedded database (PGlite, on disk), 60 s per level
 *   DATABASE_URL=postgres://… npm run bench:load PostgreSQL: a fresh database navet_bench_load, dropped after
 *   npm run bench:load -- --quick               10 s per level (BENCH_DURATION=s sets any length)
 *   npm run bench:load:check                    CI's short run (`.ci/run`, either engine): 10 connections
 *                                               for 5 s; exits 1 on any error, timeout or answer
 *                                               not 2xx (late 5xx included); leaves bench/results alone
 *
 * BENCH_BY_PATH=1 adds the server's own time per path to each level (its log at info).
 * BENCH_SCALE (default 0.01) sizes the data set, made by the suite's generator (bench/generate.ts:
 * real public bodies, fictional people). Writes bench/results/load-<engine>.json.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { connect } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { round } from './bench-db.ts'
import { generate, sizeAt } from './generate.ts'
import { freePort } from './serve.ts'

// autocannon ships no types; the little used here.
interface Histogram {
  average: number
  p50: number
  p97_5: number
  p99: number
  max: number
}
interface Request {
  method: string
  path: string
  headers?: Record<string, string>
  setupRequest?: (req: Request) => Request & { body?: string }
}
interface Result {
  requests: Histogram & { total: number }
  latency: Histogram
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats?: Record<string, { count: number }>
}
type Instance = Promise<Result> & { on(event: 'reqError', listener: (err: Error & { code?: string }) => void): void }
type Autocannon = (opts: { url: string; connections: number; duration: number; timeout?: number; requests: Request[] }) => Instance
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const ROOT = path.resolve(import.meta.dirname, '..')
const QUICK = process.argv.includes('--quick')
const BY_PATH = process.env.BENCH_BY_PATH === '1'
/** Count, p50, p95, max and the sum of a path's server times (ms). */
function timesOf(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { n: ms.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1)!, sum_s: Math.round(ms.reduce((a, b) => a + b, 0)) / 1000 }
}
const CHECK = process.argv.includes('--check')
const DURATION = Number(process.env.BENCH_DURATION ?? (CHECK ? 5 : QUICK ? 10 : 60))
const LEVELS = (process.env.BENCH_CONNECTIONS ?? (CHECK ? '10' : '1,10,50')).split(',').map(Number)
const DRAIN_MS = 15_000
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_load'
const ADMIN = { email: 'bench.admin@example.se', password: 'bench admin password' }
// The benchmark suite's deterministic data set (bench/generate.ts) at a small scale by default:
// 0.01 is 2 000 contacts, 300 organisations, 600 activities with 6 000 participations.
const SCALE = Number(process.env.BENCH_SCALE ?? 0.01)


async function database(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await c.connect()
      try {
        await c.query(q)
      } finally {
        await c.end()
      }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${BENCH_DB}`
    return { env: { DATABASE_URL: url.toString() }, cleanup: () => admin(`drop database if exists ${BENCH_DB} with (force)`) }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-load-'))
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** The server process's resident set in MiB (Linux). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? round(Number(m[1]) / 1024) : NaN
}

async function main() {
  const db = await database()
  const handle = await connect({ databaseUrl: db.env.DATABASE_URL || undefined, dataDir: db.env.DATA_DIR ?? '' })
  await migrateToLatest(handle.db)
  const seeded = await generate(handle.db, sizeAt(SCALE))
  const ids = async (table: 'contacts' | 'organisations', n: number) =>
    (await sql<{ id: string }>`select id from ${sql.table(table)} order by id limit ${n}`.execute(handle.db)).rows.map((r) => r.id)
  const contacts = await ids('contacts', 500)
  const orgs = await ids('organisations', 50)
  await handle.close()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--import', './bench/loop-stall-probe.ts', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...db.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: BY_PATH ? 'info' : 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // autocannon counts only the answers that arrive within the duration: the server's own log
  // (LOG_LEVEL=warn: every answer ≥ 500 is logged) counts the late ones too.
  let serverFailures = 0
  // The server's event-loop stalls over 1 s (bench/loop-stall-probe.ts), in ms.
  let loopStalls: number[] = []
  // BENCH_BY_PATH=1: the server logs every answer (LOG_LEVEL=info) and each level reports the
  // server's own time per path — where a level's time went (ids in paths become :id).
  let byPath = new Map<string, number[]>()
  for (const stream of [server.stdout!, server.stderr!]) {
    stream.setEncoding('utf8').on('data', (d: string) => {
      serverFailures += (d.match(/"status":5\d\d/g) ?? []).length
      const stalls = [...d.matchAll(/\{"loop_stall_ms":(\d+)\}\n?/g)]
      loopStalls.push(...stalls.map((m) => Number(m[1])))
      for (const m of d.matchAll(/"method":"(\w+)","path":"([^"]*)","status":\d+,"ms":([\d.]+)/g)) {
        const key = `${m[1]} ${m[2]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`
        byPath.set(key, [...(byPath.get(key) ?? []), Number(m[3])])
      }
      const rest = d.replace(/\{"loop_stall_ms":\d+\}\n?/g, '')
      if (rest && !BY_PATH) process.stderr.write(rest)
    })
  }
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break
      if (i > 1200) throw new Error('server did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
    const same = { origin: base, 'sec-fetch-site': 'same-origin' }
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { ...same, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(ADMIN) })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    if (!cookie.includes('session=')) throw new Error(`login failed: ${login.status}`)
    const json = { ...same, cookie, 'content-type': 'application/json', accept: 'application/json' }
    let written = 0
    const page = { headers: { cookie } }
    const requests: Request[] = [
      { method: 'GET', path: '/', ...page },
      { method: 'GET', path: '/organisations', ...page },
      { method: 'GET', path: '/contacts?q=lind', ...page },
      { method: 'GET', path: `/contacts/${contacts[7]}`, ...page },
      { method: 'GET', path: `/organisations/${orgs[3]}`, ...page },
      { method: 'GET', path: '/api/v1/contacts?limit=50', headers: { cookie, accept: 'application/json' } },
      {
        method: 'POST', path: '/api/v1/interactions', headers: json,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ kind: 'call', occurred_on: '2026-11-20', summary: `Samtal om samverkan ${written++}`, contact_ids: [contacts[written % contacts.length]] }) }),
      },
      { method: 'GET', path: '/search?q=kommun', ...page },
      { method: 'GET', path: '/interactions', ...page },
      {
        method: 'POST', path: '/api/v1/contacts', headers: json,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ first_name: 'Ny', last_name: `Kontakt ${written++}`, email: `ny.kontakt${written}@example.se` }) }),
      },
    ]

    // A short warm-up so the first level does not pay for compiling templates and queries.
    await autocannon({ url: base, connections: 2, duration: 3, requests })
    const levels = []
    for (const connections of LEVELS) {
      const rssBefore = rssMiB(server.pid!)
      const failuresBefore = serverFailures
      loopStalls = []
      byPath = new Map()
      const run = autocannon({ url: base, connections, duration: DURATION, requests, timeout: 30 })
      // autocannon's `errors` counts a socket's errors (a reset, a refused connection) and its own
      // timeouts: which ones, by code, so a failed run says what failed.
      const errorCodes: Record<string, number> = {}
      run.on('reqError', (err) => {
        const code = err.code ?? err.message
        errorCodes[code] = (errorCodes[code] ?? 0) + 1
      })
      const r = await run
      // Let the answers still in flight arrive (and be counted) before the next level.
      await new Promise((done) => setTimeout(done, DRAIN_MS))
      const rssAfter = rssMiB(server.pid!)
      const codes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]))
      const level = {
        connections,
        duration_s: DURATION,
        requests: r.requests.total,
        requests_per_s: round(r.requests.average),
        latency_ms: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
        errors: r.errors,
        error_codes: errorCodes,
        timeouts: r.timeouts,
        non_2xx: r.non2xx,
        status_5xx: Object.entries(codes).filter(([c]) => c.startsWith('5')).reduce((n, [, k]) => n + k, 0),
        status_codes: codes,
        server_5xx_incl_late: serverFailures - failuresBefore,
        // Over the level and its drain: how often, and how long at most, the server read no socket.
        server_loop_stalls_over_1s: { count: loopStalls.length, max_ms: Math.max(0, ...loopStalls) },
        rss_mib: { before: rssBefore, after: rssAfter },
        ...(BY_PATH ? { server_ms_by_path: Object.fromEntries([...byPath].map(([key, ms]) => [key, timesOf(ms)])) } : {}),
      }
      levels.push(level)
      console.log(JSON.stringify(level))
    }
    const rssEnd = rssMiB(server.pid!)
    const result = {
      engine: ENGINE,
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => round(l)).join(' ')} at the end`,
      mix: '8 reads in 10 (dashboard, two lists, a contact, an organisation, the contacts API, search, interactions) and 2 writes (an interaction, a contact) through the API',
      scale: SCALE,
      rows: seeded.rows,
      levels,
      rss_mib_at_end: rssEnd,
    }
    console.log(JSON.stringify(result, null, 2))
    if (CHECK) {
      // A smoke test of the mix, not a figure to keep: it fails on any answer that is not one.
      const failed = levels.filter((l) => l.errors || l.timeouts || l.non_2xx || l.server_5xx_incl_late)
      for (const l of failed) console.error(`load check FAILED at ${l.connections} connections: ${l.errors} errors, ${l.timeouts} timeouts, ${l.non_2xx} not 2xx (${JSON.stringify(l.status_codes)}), ${l.server_5xx_incl_late} 5xx in the server's log`)
      if (failed.length) process.exitCode = 1
      else console.log(`load check passed: ${levels.map((l) => `${l.requests} requests at ${l.connections} connections`).join(', ')}, no error, timeout or answer other than 2xx`)
      return
    }
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, `bench/results/load-${ENGINE}.json`), JSON.stringify(result, null, 2) + '\n')
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    await db.cleanup()
  }
}

await main()
