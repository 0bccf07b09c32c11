/**
 * The benchmark suite of issue 15: the app under concurrent load on the large data set.
 *
 *   npm run bench                                   PGlite (a temporary DATA_DIR)
 *   DATABASE_URL=postgres://… npm run bench         PostgreSQL (a fresh database `navet_bench_suite`, dropped after)
 *
 * 1. The data set of bench/generate.ts at BENCH_SCALE (default 1 on PostgreSQL — 200 000
 *    contacts — and 0.25 on PGlite — 50 000 contacts, the "national size" of the issue), its
 *    load time reported.
 * 2. Reference, in this process: each read is asked once of the app (createApp, the same code)
 *    with Kysely's query log on; the SQL it ran is then replayed alone, one statement after
 *    another, BENCH_SQL_RUNS times: "SQL p50". The app's p50 at one connection over that is the
 *    server's overhead.
 * 3. The server as its own process (`node src/server.ts`, LOG_LEVEL=warn, 127.0.0.1) and
 *    autocannon from this process at 1, 10 and 50 connections, BENCH_DURATION seconds each
 *    (default 8), for every read, a write (creating a contact) and the CSV export; a bare Hono
 *    handler returning a fixed page (bench/bare-hono.ts) likewise: the floor. Memory (VmRSS) of
 *    the server idle after start, after the reads, and its peak (VmHWM).
 *    Each statement's EXPLAIN (ANALYZE, BUFFERS) goes to bench/results/explain-<engine>.txt.
 * 4. The CSV export of about 50 000 rows (two categories of contacts at scale 1) timed one at a
 *    time: rows/s and the server's peak memory during it, beside an export of half as many rows.
 *
 * Results: bench/results/suite-<engine>.json, and bench/RESULTS.md rewritten with the table of
 * this run and the change since the previous one (the JSON it replaces). The load average of the
 * machine is recorded with every figure: on a shared machine it is the first thing to read.
 * Figures, not assertions.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, sql, type LogEvent } from 'kysely'
import pg from 'pg'
import { createSession } from '../src/auth/sessions.ts'
import { kyselyOverPostgres, openPglite } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { createUser } from '../src/users/users.service.ts'
import { generate, sizeAt } from './generate.ts'
import { casesFor, type Case } from './suite-cases.ts'
import { load, ROOT, round, rssMiB, startServer } from './serve.ts'
import { inProcessApp } from './bench-server-db.ts'
import { percentile } from './bench-db.ts'

const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const SCALE = Number(process.env.BENCH_SCALE ?? (ENGINE === 'postgres' ? 1 : 0.25))
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8)
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map(Number)
const SQL_RUNS = Number(process.env.BENCH_SQL_RUNS ?? 30)
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined
/**
 * PostgreSQL's planner setting as the README tells an operator to set it (random_page_cost 1.1,
 * data on SSDs or in memory); BENCH_PG_DEFAULTS=1 measures at PostgreSQL's own default (4), as every
 * run before 2026-12-05 17:40 did. PGlite sets 1.1 on its own session (src/db/connect.ts).
 */
const RANDOM_PAGE_COST = process.env.BENCH_PG_DEFAULTS === '1' ? undefined : 1.1
const BENCH_DB = 'navet_bench_suite'
const PASSWORD = 'bench-password-16'

interface Histogram { average: number; p50: number; p97_5: number; p99: number; max: number }
interface AutocannonResult { requests: Histogram & { total: number }; latency: Histogram; errors: number; timeouts: number; non2xx: number }
type AutocannonRun = Promise<AutocannonResult> & { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void }
type Autocannon = (opts: { url: string; connections: number; duration: number; timeout?: number; method?: string; headers?: Record<string, string>; body?: string }) => AutocannonRun
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN


// ---------------------------------------------------------------- the database

let capturing: CompiledQuery[] | null = null
const log = (event: LogEvent) => {
  if (capturing && event.level === 'query') capturing.push(event.query)
}

interface Target { db: Kysely<Database>; env: Record<string, string>; closeDb(): Promise<void>; drop(): Promise<void> }

async function openTarget(): Promise<Target> {
  if (ENGINE === 'postgres') {
    const server = process.env.DATABASE_URL!
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      try { await client.query(statement) } finally { await client.end() }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    if (RANDOM_PAGE_COST !== undefined) await admin(`alter database ${BENCH_DB} set random_page_cost = ${RANDOM_PAGE_COST}`)
    const url = new URL(server)
    url.pathname = `/${BENCH_DB}`
    // The app's pool settings (src/db/connect.ts: no JIT), with the query log on.
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyOverPostgres(url.toString()).pool }), log })
    return { db, env: { DATABASE_URL: url.toString() }, closeDb: () => db.destroy(), drop: () => admin(`drop database if exists ${BENCH_DB} with (force)`) }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-suite-'))
  const pglite = await openPglite({ dataDir: dir })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), log })
  return {
    db,
    env: { DATA_DIR: dir },
    async closeDb() { await db.destroy(); if (!pglite.closed) await pglite.close() },
    async drop() { fs.rmSync(dir, { recursive: true, force: true }) },
  }
}

// ---------------------------------------------------------------- the reads

const WRITE: Case = {
  name: 'write: create a contact (API)', path: '/api/v1/contacts', auth: 'bearer', method: 'POST', budget: 50,
  body: JSON.stringify({ first_name: 'Bänk', last_name: 'Testsson', categories: ['other'] }),
}

// ---------------------------------------------------------------- the server


interface Load { connections: number; rps: number; p50: number; p95?: number; p97_5: number; p99: number; max: number; non2xx: number; errors: number; load: number }

async function loadOf(url: string, c: Case, headers: Record<string, string>, connections: number): Promise<Load> {
  // Warm first: twice one answer per connection, all at once. The app's pool then has as many
  // connections as the figure will use, and each has prepared its statements (on their second
  // sighting); a new backend's first statements are slow. The server is idle again before and
  // after: requests still queued from one figure would otherwise be counted against the next.
  for (let round = 0; round < 2; round++) {
    await Promise.all(
      Array.from({ length: connections }, () => fetch(url + c.path, { method: c.method ?? 'GET', headers, ...(c.body ? { body: c.body } : {}) }).then((r) => r.arrayBuffer())),
    )
  }
  // The budgets are p95; autocannon's summary has p90 and p97.5 but not p95, so every
  // response's time is kept (a few thousand numbers) and p95 taken from them.
  const times: number[] = []
  const run = autocannon({ url: url + c.path, connections, duration: DURATION_S, timeout: 30, method: c.method ?? 'GET', headers, ...(c.body ? { body: c.body } : {}) })
  run.on('response', (_client, _status, _bytes, ms) => times.push(ms))
  const r = await run
  await fetch(url + (c.name === 'bare' ? '/' : '/healthz')).then((r) => r.arrayBuffer())
  return { connections, rps: round(r.requests.average), p50: r.latency.p50, p95: times.length ? round(percentile(times.sort((a, b) => a - b), 95)) : undefined, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx, errors: r.errors + r.timeouts, load: load() }
}

// ---------------------------------------------------------------- the run

async function main() {
  const startedAt = new Date().toISOString()
  const target = await openTarget()
  const results: Record<string, unknown> = { benchmark: 'suite', engine: ENGINE, date: startedAt, scale: SCALE, random_page_cost: ENGINE === 'postgres' ? (RANDOM_PAGE_COST ?? 4) : 1.1, load_at_start: load() }
  try {
    await migrateToLatest(target.db)
    process.stderr.write(`${ENGINE}: generating the data set at scale ${SCALE}…\n`)
    const generated = await generate(target.db, sizeAt(SCALE), (m) => process.stderr.write(`  ${m}\n`))
    results.data = { ...generated, load: load() }
    const user = await createUser(target.db, { email: 'bench@example.se', name: 'Bench Admin', role: 'admin', active: true, password: PASSWORD }, { userId: null })
    const browser = await createSession(target.db, user.id, 'browser')
    const api = await createSession(target.db, user.id, 'api')
    const headersOf = (c: Case): Record<string, string> =>
      c.auth === 'cookie' ? { cookie: `session=${browser.token}` } : { authorization: `Bearer ${api.token}`, ...(c.body ? { 'content-type': 'application/json' } : {}) }
    const cases = (await casesFor(target.db)).filter((c) => !ONLY || ONLY.test(c.name))

    // The SQL of each read alone (in this process, before the server takes the database).
    const app = inProcessApp(target.db, ENGINE)
    const explains: string[] = []
    const reference: Record<string, { status: number; bytes: number; queries: number; sql_p50: number; app_inprocess_p50: number }> = {}
    for (const c of cases) {
      const first = await app.request(c.path, { headers: headersOf(c) })
      const bytes = (await first.arrayBuffer()).byteLength
      capturing = []
      await (await app.request(c.path, { headers: headersOf(c) })).arrayBuffer()
      const reads = capturing.filter((q) => /^\s*(select|with)\b/i.test(q.sql))
      capturing = null
      const sqlTimes: number[] = []
      const appTimes: number[] = []
      for (let i = 0; i < SQL_RUNS; i++) {
        let t = performance.now()
        for (const q of reads) await target.db.executeQuery(q)
        sqlTimes.push(performance.now() - t)
        t = performance.now()
        await (await app.request(c.path, { headers: headersOf(c) })).arrayBuffer()
        appTimes.push(performance.now() - t)
      }
      // The plan of each statement, as it ran on this engine with this data (bench/results/explain-<engine>.txt).
      for (const q of reads) {
        const plan = await target.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]))
        explains.push(`### ${c.name}\n\n${q.sql}\n\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`)
      }
      reference[c.name] = { status: first.status, bytes, queries: reads.length, sql_p50: round(median(sqlTimes), 2), app_inprocess_p50: round(median(appTimes), 2) }
      process.stderr.write(`  reference ${c.name}: ${first.status}, ${reads.length} queries, SQL ${reference[c.name]!.sql_p50} ms, app ${reference[c.name]!.app_inprocess_p50} ms\n`)
    }
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', `explain-${ENGINE}.txt`), `EXPLAIN (ANALYZE, BUFFERS) of every read of the suite, ${ENGINE}, scale ${SCALE}, ${new Date().toISOString()}, load ${load()}\n\n${explains.join('\n')}`)
    const exportRows = Number((await sql<{ n: string }>`select count(*)::text as n from contacts where deleted_at is null and categories && array['practitioner', 'decision_maker']`.execute(target.db)).rows[0]!.n)
    const halfRows = Number((await sql<{ n: string }>`select count(*)::text as n from contacts where deleted_at is null and categories && array['practitioner']`.execute(target.db)).rows[0]!.n)
    await target.closeDb()

    // The bare floor.
    const bare = await startServer(['bench/bare-hono.ts', '$PORT', '20000'], {}, async (url) => (await fetch(url)).ok)
    const floor: Load[] = []
    for (const n of CONNECTIONS) floor.push(await loadOf(bare.url, { name: 'bare', path: '/', auth: 'bearer' }, {}, n))
    await bare.stop()
    results.bare_hono = floor

    // The server.
    const t0 = performance.now()
    const server = await startServer(['src/server.ts'], target.env, async (url) => (await fetch(`${url}/healthz`)).ok)
    const startMs = round(performance.now() - t0, 0)
    await new Promise((r) => setTimeout(r, 2000))
    const memory: Record<string, number> = { idle_rss_mib: rssMiB(server.child.pid!) }
    const rows: Record<string, unknown>[] = []
    for (const c of [...cases, WRITE]) {
      const loads: Load[] = []
      for (const n of CONNECTIONS) {
        loads.push(await loadOf(server.url, c, headersOf(c), n))
        process.stderr.write(`  ${c.name} @${n}: p50 ${loads.at(-1)!.p50} p95 ${loads.at(-1)!.p95} p97.5 ${loads.at(-1)!.p97_5} ms, ${loads.at(-1)!.rps} req/s (load ${load()})\n`)
      }
      rows.push({ name: c.name, path: c.path.replace(/[0-9a-f-]{36}/g, ':id').replace(/cursor=[^&]+/, 'cursor=…'), budget_ms: c.budget, ...reference[c.name], loads })
    }
    memory.after_load_rss_mib = rssMiB(server.child.pid!)
    memory.peak_rss_mib = rssMiB(server.child.pid!, 'VmHWM')

    // The export, one at a time: rows/s and the server's memory meanwhile.
    const exportOf = async (query: string, rowsExpected: number) => {
      let peak = 0
      const timer = setInterval(() => (peak = Math.max(peak, rssMiB(server.child.pid!))), 25)
      const before = rssMiB(server.child.pid!)
      const t = performance.now()
      const res = await fetch(`${server.url}/api/v1/contacts?format=csv&${query}`, { headers: headersOf({ auth: 'bearer' } as Case) })
      const text = await res.text()
      const ms = performance.now() - t
      clearInterval(timer)
      const lines = text.split('\n').filter(Boolean).length - 1
      return { rows: lines, expected: rowsExpected, status: res.status, ms: round(ms, 0), rows_per_s: round(lines / (ms / 1000), 0), rss_before_mib: before, rss_peak_mib: peak, load: load() }
    }
    results.csv_export = {
      half: await exportOf('category=practitioner', halfRows),
      full: await exportOf('category=practitioner&category=decision_maker', exportRows),
    }
    memory.after_export_rss_mib = rssMiB(server.child.pid!)
    await server.stop()
    Object.assign(results, { start_ms_existing_db: startMs, memory, reads: rows, load_at_end: load() })
  } finally {
    await target.drop()
  }
  writeResults(results)
}

function writeResults(results: Record<string, unknown>) {
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `suite-${ENGINE}.json`)
  const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as typeof results) : undefined
  fs.writeFileSync(file, JSON.stringify({ ...results, previous: previous ? { date: previous.date, reads: previous.reads } : undefined }, null, 2) + '\n')
  const md = path.join(ROOT, 'bench', 'RESULTS.md')
  const sections = fs.existsSync(md) ? fs.readFileSync(md, 'utf8') : ''
  const mine = renderSection(results, previous)
  const marker = (e: string) => `<!-- suite:${e} -->`
  const other = ENGINE === 'pglite' ? 'postgres' : 'pglite'
  const otherSection = sections.includes(marker(other)) ? sections.slice(sections.indexOf(marker(other))).split(marker(`${other}:end`))[0] + marker(`${other}:end`) + '\n' : ''
  const head = '# Benchmark suite results\n\nWritten by `npm run bench` (bench/suite.bench.ts; method in bench/README.md). One section per engine; each is replaced by its next run, with the change since the run before.\n\n'
  const body = ENGINE === 'postgres' ? [mine, otherSection] : [otherSection, mine]
  fs.writeFileSync(md, head + body.filter(Boolean).join('\n'))
  console.log(mine)
}

type Row = { name: string; path: string; budget_ms?: number; sql_p50?: number; app_inprocess_p50?: number; queries?: number; status?: number; loads: Load[] }

function renderSection(r: Record<string, any>, previous?: Record<string, any>): string {
  const at = (row: Row, n: number) => row.loads.find((l) => l.connections === n)
  const before = new Map<string, Row>((previous?.reads ?? []).map((x: Row) => [x.name, x]))
  const floor = (r.bare_hono as Load[]).find((l) => l.connections === 10)
  const lines = [
    `<!-- suite:${ENGINE} -->`,
    `## ${ENGINE === 'postgres' ? 'PostgreSQL' : 'PGlite'} — ${String(r.date).slice(0, 16).replace('T', ' ')} UTC, scale ${r.scale}`,
    '',
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}. **Load average ${r.load_at_start} at start, ${r.load_at_end} at end** (each figure's own in the JSON).`,
    `Data: ${Object.entries(r.data.rows as Record<string, number>).map(([k, v]) => `${v} ${k}`).join(', ')}; generated and analysed in ${round(r.data.ms / 1000, 1)} s. random_page_cost ${r.random_page_cost ?? 4}${ENGINE === 'postgres' ? ' (the README\'s advice for SSDs; BENCH_PG_DEFAULTS=1 for PostgreSQL\'s default 4)' : ' (set by the app)'}.`,
    `Autocannon ${DURATION_S} s per figure; latency in ms (p50 / p95 / p97.5; a budget is a p95, ✗ where it is missed), throughput in requests/s. "SQL" is the read's own statements replayed alone, one at a time; "× SQL" the server's p50 at 1 connection over it; "× bare" its req/s at 10 connections against a bare Hono handler's (${floor?.rps ?? '?'} req/s).`,
    '',
    '| read | budget | 1 conn p50 | 10 conn p50 / p95 / p97.5 | req/s @10 | 50 conn p50 / p97.5 | SQL p50 | × SQL | × bare | queries | previous @10 p97.5 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of r.reads as Row[]) {
    const one = at(row, 1), ten = at(row, 10), fifty = at(row, 50)
    const prev = before.get(row.name)
    const prevTen = prev ? at(prev, 10) : undefined
    const over = one && row.sql_p50 ? `${round(one.p50 / Math.max(row.sql_p50, 0.5), 1)}×` : '–'
    const bare = ten && floor ? `${round(floor.rps / Math.max(ten.rps, 0.1), 0)}×` : '–'
    const miss = ten && row.budget_ms && (ten.p95 ?? ten.p97_5) > row.budget_ms ? ' ✗' : ''
    lines.push(`| ${row.name}${row.status && row.status !== 200 && row.status !== 201 ? ` (${row.status})` : ''} | ${row.budget_ms ?? '–'} | ${one?.p50 ?? '–'} | ${ten ? `${ten.p50} / ${ten.p95 ?? '–'} / ${ten.p97_5}${miss}` : '–'} | ${ten?.rps ?? '–'} | ${fifty ? `${fifty.p50} / ${fifty.p97_5}` : '–'} | ${row.sql_p50 ?? '–'} | ${over} | ${bare} | ${row.queries ?? '–'} | ${prevTen ? prevTen.p97_5 : '–'} |`)
  }
  const csv = r.csv_export
  const m = r.memory
  lines.push(
    '',
    `CSV export: ${csv.full.rows} rows in ${csv.full.ms} ms (${csv.full.rows_per_s} rows/s, server RSS ${csv.full.rss_before_mib} → peak ${csv.full.rss_peak_mib} MiB); ${csv.half.rows} rows in ${csv.half.ms} ms (${csv.half.rows_per_s} rows/s, peak ${csv.half.rss_peak_mib} MiB). Load ${csv.full.load}.`,
    `Memory (RSS): idle after start ${m.idle_rss_mib} MiB, after the reads ${m.after_load_rss_mib} MiB, peak ${m.peak_rss_mib} MiB, after the exports ${m.after_export_rss_mib} MiB. Start on the loaded database: ${r.start_ms_existing_db} ms.`,
    `Bare Hono handler (fixed 20 kB page): ${(r.bare_hono as Load[]).map((l) => `${l.connections} conn ${l.rps} req/s p50 ${l.p50} ms`).join('; ')}.`,
    '',
    `<!-- suite:${ENGINE}:end -->`,
    '',
  )
  return lines.join('\n')
}

await main()
