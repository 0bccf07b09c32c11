/**
 * Dissemination figures (issue 5): how long a plan's progress takes for a plan targeting 5 000
 * people over 50 000 participations, and how long the dashboard (with its charts) takes to render
 * over that data set.
 *
 *   npm run bench:plans                               embedded database (PGlite, temp dir)
 *   DATABASE_URL=postgres://… npm run bench:plans     PostgreSQL: a fresh database
 *                                                     `navet_bench_plans`, dropped after
 *
 * Data (INSERT … SELECT generate_series, the same every run): BENCH_CONTACTS (20 000) people of
 * whom 5 000 are officials, BENCH_ORGANISATIONS (2 000), one affiliation each (every tenth one
 * ended), BENCH_ACTIVITIES (2 500) over two years, BENCH_PARTICIPATIONS (50 000), 20 plans,
 * 40 alliances. The app is driven in-process with app.request() and a real session (cookie for
 * the dashboard, bearer token for the API), so the time is the server's: no network.
 * BENCH_ITERATIONS (30, at least 20), BENCH_WARMUP (5). Figures, not assertions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CompiledQuery, Kysely } from 'kysely'
import { openBenchDatabase, percentile, round, summary } from './bench-db.ts'
import { createSession } from '../src/auth/sessions.ts'

import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { planProgress, progressCounts } from '../src/plans/plan-progress.ts'
import { COUNTIES } from '../src/register/counties.ts'
import { addPlan, generateDissemination, OTHER_CATEGORIES } from './plans-data.ts'
import { createUser } from '../src/users/users.service.ts'
import { formatDate } from '../src/web/format.ts'
import { inProcessApp } from './bench-server-db.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_plans'
const SIZE = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 20_000),
  targeted: 5_000,
  organisations: Number(process.env.BENCH_ORGANISATIONS ?? 2_000),
  activities: Number(process.env.BENCH_ACTIVITIES ?? 2_500),
  participations: Number(process.env.BENCH_PARTICIPATIONS ?? 50_000),
}
const ITERATIONS = Math.max(20, Number(process.env.BENCH_ITERATIONS ?? 30))
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5)

type Db = Kysely<Database>

const openDatabase = () => openBenchDatabase(BENCH_DB)
async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times
}

async function main() {
  const load1 = os.loadavg()[0]!
  const started = performance.now()
  const { db, close } = await openDatabase()
  try {
    await migrateToLatest(db)
    const today = formatDate(new Date())
    process.stderr.write(`${ENGINE}: generating ${SIZE.contacts} people, ${SIZE.activities} activities, ${SIZE.participations} participations…\n`)
    const genStart = performance.now()
    const { themeA, officials } = await generateDissemination(db, SIZE, today)
    const byFilter = await addPlan(db, 'Alla tjänstepersoner (filter)', { filter: { categories: ['official'] } }, [themeA])
    const byList = await addPlan(db, 'Alla tjänstepersoner (lista)', { contact_ids: officials }, [themeA])
    const boards = await addPlan(db, 'Länsstyrelserna', { filter: { kinds: ['county_board'] } })
    const all = [byFilter, byList, boards]
    for (let i = 0; i < 17; i++) all.push(await addPlan(db, `Plan ${i}`, { filter: { counties: [COUNTIES[i % 21]], categories: [OTHER_CATEGORIES[i % 6]] } }, i % 2 ? [themeA] : []))
    await db.executeQuery(CompiledQuery.raw('vacuum analyze'))
    const generateMs = performance.now() - genStart
    const check = await planProgress(db, byFilter, today)
    const boardCheck = await planProgress(db, boards, today)
    process.stderr.write(`generated in ${round(generateMs / 1000)} s; the plan targets ${check.target_count} people, ${check.reached_count} reached; boards ${boardCheck.reached_count}/${boardCheck.target_count}\n`)

    const user = await createUser(db, { email: 'bench@example.se', name: 'Bench Editor', role: 'editor', active: true, password: 'bench-password-16' }, { userId: null })
    const browser = await createSession(db, user.id, 'browser')
    const api = await createSession(db, user.id, 'api')
    const app = inProcessApp(db, ENGINE)
    const get = async (p: string, auth: 'cookie' | 'bearer') => {
      const res = await app.request(p, { headers: auth === 'cookie' ? { cookie: `session=${browser.token}` } : { authorization: `Bearer ${api.token}` } })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`)
    }
    const cases: { name: string; fn: () => Promise<unknown> }[] = [
      { name: 'progress API, 5 000 people by filter (GET /api/v1/plans/:id/progress)', fn: () => get(`/api/v1/plans/${byFilter}/progress`, 'bearer') },
      { name: 'progress API, 5 000 people listed by id', fn: () => get(`/api/v1/plans/${byList}/progress`, 'bearer') },
      { name: 'progress SQL only (planProgress), 5 000 by filter', fn: () => planProgress(db, byFilter, today) },
      { name: 'progress API, organisations via affiliated people (county boards)', fn: () => get(`/api/v1/plans/${boards}/progress`, 'bearer') },
      { name: 'counts of all 20 plans in one query (progressCounts)', fn: () => progressCounts(db, all, today) },
      { name: 'dashboard / with charts (HTML)', fn: () => get('/', 'cookie') },
      { name: 'plan page /plans/:id, 5 000 people (HTML)', fn: () => get(`/plans/${byFilter}`, 'cookie') },
      { name: 'plan list /plans with progress bars (HTML)', fn: () => get('/plans', 'cookie') },
      { name: 'period report, last 12 months (HTML)', fn: () => get(`/reports/period?from=${today.slice(0, 4)}-01-01&to=${today}`, 'cookie') },
    ]
    const rows: { name: string; ms: ReturnType<typeof summary> }[] = []
    for (const c of cases) {
      const first = performance.now()
      await c.fn()
      process.stderr.write(`${c.name}: first run ${round(performance.now() - first)} ms; ${ITERATIONS} runs…\n`)
      rows.push({ name: c.name, ms: summary(await timed(c.fn)) })
    }

    const cpus = os.cpus()
    const results = {
      benchmark: 'plans',
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
      data: { ...SIZE, plan_targets: check.target_count, plan_reached: check.reached_count, generate_s: round(generateMs / 1000) },
      settings: { iterations: ITERATIONS, warmup: WARMUP },
      results: rows,
      total_s: round((performance.now() - started) / 1000),
    }
    const dir = path.join(ROOT, 'bench', 'results')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `plans-${ENGINE}.json`)
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n')
    console.log(
      [
        `### Dissemination, ${ENGINE} — ${results.date.slice(0, 10)}, ${cpus.length} cores (${results.machine.cpu_model}), Node ${process.version}, load ${results.machine.load_avg_1m_at_start} at start, ${results.machine.load_avg_1m_at_end} at end`,
        '',
        `${SIZE.contacts} people (${SIZE.targeted} officials targeted, ${check.reached_count} of them reached), ${SIZE.organisations} organisations, ${SIZE.activities} activities, ${SIZE.participations} participations, 20 plans (generated in ${results.data.generate_s} s); ${ITERATIONS} runs after ${WARMUP} warm-up, ms.`,
        '',
        '| what | p50 | p95 | max |',
        '| --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r.name} | ${r.ms.p50} | ${r.ms.p95} | ${r.ms.max} |`),
        '',
        `Written to ${path.relative(ROOT, file)}.`,
      ].join('\n'),
    )
  } finally {
    await close()
  }
}

await main()
