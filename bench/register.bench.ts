/**
 * Register figures (issue 3): server time of the organisations list, the contacts API and
 * search over 20 000 organisations and 100 000 contacts, next to the time of the SQL alone.
 *
 *   npm run bench:register                               embedded database (PGlite, temp dir)
 *   DATABASE_URL=postgres://… npm run bench:register     PostgreSQL: a fresh database
 *                                                         `navet_bench_register`, dropped after
 *
 * The app is built with createApp and driven in-process with app.request() and a real session
 * (cookie for pages, bearer token for the API), so the time is the server's: routing, session,
 * validation, queries, rendering; no network. "SQL" replays the reads that one such request
 * ran (captured through Kysely's query log), one after another, through the same Kysely: the
 * difference is our overhead. Writes a request makes (the session's sliding expiry) are not
 * replayed. Results go to bench/results/register-<engine>.json and are printed as a table.
 *
 * BENCH_ORGANISATIONS (20000), BENCH_CONTACTS (100000), BENCH_ITERATIONS (60, at least 50
 * for the figures in bench/README.md), BENCH_WARMUP (10). Figures, not assertions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, type LogEvent } from 'kysely'
import pg from 'pg'
import { createSession } from '../src/auth/sessions.ts'
import { openPglite } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { createUser } from '../src/users/users.service.ts'
import { generateRegister } from './register-data.ts'
import { inProcessApp } from './bench-server-db.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_register'
const SIZE = { organisations: Number(process.env.BENCH_ORGANISATIONS ?? 20_000), contacts: Number(process.env.BENCH_CONTACTS ?? 100_000) }
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10)

type Db = Kysely<Database>

// The log hook records what a request runs while `capturing` is set, and nothing otherwise.
let capturing: CompiledQuery[] | null = null
const log = (event: LogEvent) => {
  if (capturing && event.level === 'query') capturing.push(event.query)
}

async function openDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const server = process.env.DATABASE_URL!
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      try {
        await client.query(statement)
      } finally {
        await client.end()
      }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    const url = new URL(server)
    url.pathname = `/${BENCH_DB}`
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log })
    return {
      db,
      async close() {
        await db.destroy()
        await admin(`drop database if exists ${BENCH_DB} with (force)`)
      },
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-register-'))
  const pglite = await openPglite({ dataDir: dir })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), log })
  return {
    db,
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits
/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b)
  return { p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), max: round(s.at(-1)!) }
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times
}

interface Case {
  name: string
  path: string
  auth: 'cookie' | 'bearer'
}

const CASES: Case[] = [
  { name: 'organisations list (HTML)', path: '/organisations', auth: 'cookie' },
  { name: 'organisations list, one county (HTML)', path: `/organisations?county=${encodeURIComponent('Jönköpings län')}`, auth: 'cookie' },
  { name: 'organisations list, searched "jonkoping" (HTML)', path: '/organisations?q=jonkoping', auth: 'cookie' },
  { name: 'contacts list (API)', path: '/api/v1/contacts', auth: 'bearer' },
  { name: 'search, exact name "Migrationsverket"', path: '/api/v1/search?q=Migrationsverket', auth: 'bearer' },
  { name: 'search, folded "jonkoping"', path: '/api/v1/search?q=jonkoping', auth: 'bearer' },
  { name: 'search, typo "Migrationsverkt"', path: '/api/v1/search?q=Migrationsverkt', auth: 'bearer' },
  { name: 'search, common surname "andersson"', path: '/api/v1/search?q=andersson', auth: 'bearer' },
  { name: 'search, person "karin lindqvist"', path: '/api/v1/search?q=karin%20lindqvist', auth: 'bearer' },
  { name: 'search page "jonkoping" (HTML)', path: '/search?q=jonkoping', auth: 'cookie' },
]

interface Row {
  name: string
  path: string
  status: number
  app_ms: ReturnType<typeof summary>
  sql_ms: ReturnType<typeof summary>
  queries: number
  note?: string
}

async function main() {
  const load1 = os.loadavg()[0]!
  const started = performance.now()
  const { db, close } = await openDatabase()
  try {
    await migrateToLatest(db)
    process.stderr.write(`${ENGINE}: generating ${SIZE.organisations} organisations and ${SIZE.contacts} contacts…\n`)
    const genStart = performance.now()
    await generateRegister(db, SIZE)
    const generateMs = performance.now() - genStart
    // What autovacuum does to a table soon after a bulk insert (PGlite has no autovacuum).
    await db.executeQuery(CompiledQuery.raw('vacuum analyze'))
    const affiliations = Number((await db.selectFrom('affiliations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    process.stderr.write(`generated in ${Math.round(generateMs / 1000)} s (${affiliations} affiliations)\n`)

    const user = await createUser(db, { email: 'bench@example.se', name: 'Bench Editor', role: 'editor', active: true, password: 'bench-password-16' }, { userId: null })
    const browser = await createSession(db, user.id, 'browser')
    const api = await createSession(db, user.id, 'api')
    const app = inProcessApp(db, ENGINE)
    const request = (c: Case) =>
      app.request(c.path, { headers: c.auth === 'cookie' ? { cookie: `session=${browser.token}` } : { authorization: `Bearer ${api.token}` } })

    const rows: Row[] = []
    const notes: string[] = []
    for (const c of CASES) {
      const probe = await request(c)
      await probe.arrayBuffer()
      if (probe.status === 404 && c.path.startsWith('/api/v1/contacts')) {
        const note = `${c.path} does not exist yet: skipped`
        console.log(note)
        notes.push(note)
        continue
      }
      if (probe.status !== 200) notes.push(`${c.path} answered ${probe.status}`)
      capturing = []
      await (await request(c)).arrayBuffer()
      const reads = capturing.filter((q) => /^\s*(select|with)\b/i.test(q.sql))
      capturing = null
      process.stderr.write(`${c.name}: ${ITERATIONS} requests…\n`)
      const appTimes = await timed(ITERATIONS, async () => (await request(c)).arrayBuffer())
      const sqlTimes = await timed(ITERATIONS, async () => {
        for (const q of reads) await db.executeQuery(q)
      })
      rows.push({ name: c.name, path: c.path, status: probe.status, app_ms: summary(appTimes), sql_ms: summary(sqlTimes), queries: reads.length })
    }

    const cpus = os.cpus()
    const results = {
      benchmark: 'register',
      engine: ENGINE,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpu_model: cpus[0]?.model ?? 'unknown',
        memory_gib: round(os.totalmem() / 2 ** 30, 1),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        load_avg_1m_at_start: round(load1),
        load_avg_1m_at_end: round(os.loadavg()[0]!),
      },
      data: { ...SIZE, affiliations, generate_s: round(generateMs / 1000, 1) },
      settings: { iterations: ITERATIONS, warmup: WARMUP },
      results: rows,
      notes,
      total_s: round((performance.now() - started) / 1000, 1),
    }
    const dir = path.join(ROOT, 'bench', 'results')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `register-${ENGINE}.json`)
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n')

    const ratio = (a: number, b: number) => (b > 0 ? `${round(a / b, 1)}×` : '–')
    console.log(
      [
        `### Register, ${ENGINE} — ${results.date.slice(0, 10)}, ${cpus.length} cores (${results.machine.cpu_model}), Node ${process.version}, load ${results.machine.load_avg_1m_at_start} at start, ${results.machine.load_avg_1m_at_end} at end`,
        '',
        `${SIZE.organisations} organisations, ${SIZE.contacts} contacts, ${affiliations} affiliations (generated in ${results.data.generate_s} s); ${ITERATIONS} requests after ${WARMUP} warm-up, ms.`,
        '',
        '| request | app p50 | app p95 | SQL p50 | SQL p95 | app/SQL p50 | queries |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r.name} | ${r.app_ms.p50} | ${r.app_ms.p95} | ${r.sql_ms.p50} | ${r.sql_ms.p95} | ${ratio(r.app_ms.p50, r.sql_ms.p50)} | ${r.queries} |`),
        '',
        `Written to ${path.relative(ROOT, file)}.`,
      ].join('\n'),
    )
    if (notes.length) console.log(`\nNotes:\n- ${notes.join('\n- ')}`)
  } finally {
    await close()
  }
}

await main()
