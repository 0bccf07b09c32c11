/**
 * Activity figures (issue 5): the bulk participant actions ("adding forty people to a seminar
 * must be quick" — here 500 at once), the participants page, the month calendar and the
 * iCalendar feed.
 *
 *   npm run bench:activities                               embedded database (PGlite, temp dir)
 *   DATABASE_URL=postgres://… npm run bench:activities     PostgreSQL: a fresh database
 *                                                          `navet_bench_activities`, dropped after
 *
 * Data (INSERT … SELECT generate_series): BENCH_CONTACTS (5 000) people with e-mail addresses,
 * BENCH_ACTIVITIES (1 000) planned activities over the coming year. The app is driven in-process
 * with app.request() and a browser session, so the time is the server's: no network.
 * BENCH_ITERATIONS (20), BENCH_PASTE (500 addresses). Figures, not assertions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Kysely, PGliteDialect, sql } from 'kysely'
import pg from 'pg'
import { createSession } from '../src/auth/sessions.ts'
import { kyselyOverPostgres, openPglite } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { createUser } from '../src/users/users.service.ts'
import { inProcessApp } from './bench-server-db.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_activities'
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5_000)
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000)
const PASTE = Number(process.env.BENCH_PASTE ?? 500)
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20)

type Db = Kysely<Database>

async function openDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await client.connect()
      try {
        await client.query(statement)
      } finally {
        await client.end()
      }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${BENCH_DB}`
    const { db } = kyselyOverPostgres(url.toString())
    return { db, close: async () => { await db.destroy(); await admin(`drop database if exists ${BENCH_DB} with (force)`) } }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-activities-'))
  const pglite = await openPglite({ dataDir: dir })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return { db, close: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }) } }
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b)
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
  return { median: Math.round(at(0.5) * 10) / 10, p95: Math.round(at(0.95) * 10) / 10, n: s.length }
}

async function timed(fn: () => Promise<Response> | Response, expected: number): Promise<number> {
  const start = performance.now()
  const res = await fn()
  await res.arrayBuffer()
  if (res.status !== expected) throw new Error(`status ${res.status}, expected ${expected}`)
  return performance.now() - start
}

async function main() {
  const { db, close } = await openDatabase()
  try {
    await migrateToLatest(db)
    await sql`insert into contacts (first_name, last_name, email, sort_name)
      select 'Person', 'Nummer ' || i, 'person' || i || '@example.se', 'nummer ' || lpad(i::text, 6, '0')
      from generate_series(1, ${CONTACTS}) as i`.execute(db)
    await sql`insert into activities (title, type, start_date, sort_name)
      select 'Aktivitet ' || i, 'seminar', current_date + (i % 365), 'aktivitet ' || lpad(i::text, 6, '0')
      from generate_series(1, ${ACTIVITIES}) as i`.execute(db)
    const user = await createUser(db, { email: 'bench@example.se', name: 'Bench', role: 'editor', active: true, password: 'bench password 123' }, { userId: null })
    const { token } = await createSession(db, user.id, 'browser')
    const app = inProcessApp(db, ENGINE, ROOT)
    const headers = { cookie: `session=${token}`, origin: 'http://localhost', 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers, body: new URLSearchParams(fields).toString() })
    const emails = Array.from({ length: PASTE }, (_, i) => `PERSON${i * 7 + 1}@example.se`).join('\n')

    const results: Record<string, number[]> = { paste: [], attendanceAll: [], participantsPage: [], calendar: [], feed: [] }
    const subscribe = await app.request('/activities/calendar/subscribe', form({}))
    const feed = new URL(/value="(http[^"]+\.ics)"/.exec(await subscribe.text())![1]!).pathname
    for (let i = 0; i < ITERATIONS; i++) {
      const a = await db.insertInto('activities').values({ title: `Konferens ${i}`, type: 'conference', sort_name: `konferens ${i}` }).returning('id').executeTakeFirstOrThrow()
      results.paste!.push(await timed(() => app.request(`/activities/${a.id}/participants/paste`, form({ version: '1', emails, role: 'participant', attendance: 'registered' })), 200))
      results.attendanceAll!.push(await timed(() => app.request(`/activities/${a.id}/participants/attendance`, form({ version: '2', scope: 'all', attendance: 'attended', action: 'attendance' })), 200))
      results.participantsPage!.push(await timed(() => app.request(`/activities/${a.id}/participants`, { headers }), 200))
      results.calendar!.push(await timed(() => app.request('/activities/calendar', { headers }), 200))
      results.feed!.push(await timed(() => app.request(feed), 200))
    }
    const out = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, stats(v)]))
    const summary = { engine: ENGINE, date: new Date().toISOString().slice(0, 10), contacts: CONTACTS, activities: ACTIVITIES, paste: PASTE, results: out }
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, `bench/results/activities-${ENGINE}.json`), JSON.stringify(summary, null, 2) + '\n')
    console.table(out)
  } finally {
    await close()
  }
}

await main()
