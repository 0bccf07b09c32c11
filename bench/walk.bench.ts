/**
 * A walk through the app's pages on PGlite's one connection: which statements stay prepared
 * (src/db/prepared.ts) when one connection serves every page, and what they cost in its memory.
 *
 *   npm run bench:walk -- --data-dir /tmp/navet-big [--pages 700] [--per-shape 12]
 *
 * On a copy of a data set made by `npm run bench:generate` (the walk signs in its benchmark user and
 * leaves the session behind). From the dashboard it follows every link of the pages it reads, breadth
 * first, GET only, at most `--per-shape` pages of each path shape (ids taken out), to `--pages`
 * pages; then it reads the same pages twice more, timed (BENCH_WALK_SHAPES=FILE: the last walk's
 * time per path shape, as JSON). Prints the texts sent outside a transaction,
 * how many are prepared, their memory (pg_backend_memory_contexts), and each timed walk in ms.
 */
import fs from 'node:fs'
import { sql } from 'kysely'
import { kyselyOverPglite, openPglite } from '../src/db/connect.ts'
import { PLAN_EACH_TIME_MARK } from '../src/db/prepared.ts'
import { benchSessions, inProcessApp } from './bench-server-db.ts'

const arg = (name: string, fallback?: string) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1]! : fallback
}
const dataDir = arg('data-dir')
if (!dataDir) {
  console.error('Usage: npm run bench:walk -- --data-dir DIR [--pages 700] [--per-shape 12]')
  process.exit(2)
}
const MAX_PAGES = Number(arg('pages', '700'))
const PER_SHAPE = Number(arg('per-shape', '12'))
const SKIP = /sign-out|logout|\.(js|css|png|svg|ico|csv|pdf|json)(\?|$)|export|download/

const pglite = await openPglite({ dataDir })
const db = kyselyOverPglite(pglite)
// Every text sent outside a transaction and not planned each time: what could be prepared.
const texts = new Set<string>()
const query = pglite.query.bind(pglite)
pglite.query = ((text: string, params?: unknown[], options?: never) => {
  if (!pglite.isInTransaction() && !text.includes(PLAN_EACH_TIME_MARK)) texts.add(text)
  return query(text, params, options)
}) as typeof pglite.query

const { browser } = await benchSessions(db)
const app = inProcessApp(db, 'pglite')
const headers = { cookie: `session=${browser.token}` }

const pages: string[] = []
const seen = new Set(['/'])
const queue = ['/']
const shapes = new Map<string, number>()
while (queue.length > 0 && pages.length < MAX_PAGES) {
  const page = queue.shift()!
  pages.push(page)
  const html = await (await app.request(page, { headers })).text()
  for (const [, href] of html.matchAll(/href="(\/[^"#]*)"/g)) {
    const link = href!.replaceAll('&amp;', '&')
    const shape = link.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*/, '')
    if (seen.has(link) || SKIP.test(link) || (shapes.get(shape) ?? 0) >= PER_SHAPE) continue
    seen.add(link)
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1)
    queue.push(link)
  }
}
const shapeOf = (page: string) => page.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*/, '')
// Per path shape, the time of the last walk: where two runs differ.
const byShape = new Map<string, number>()
const walk = async () => {
  const started = performance.now()
  byShape.clear()
  for (const page of pages) {
    const t = performance.now()
    await (await app.request(page, { headers })).arrayBuffer()
    byShape.set(shapeOf(page), (byShape.get(shapeOf(page)) ?? 0) + performance.now() - t)
  }
  return Math.round(performance.now() - started)
}
const walks_ms = [await walk(), await walk()]
if (process.env.BENCH_WALK_SHAPES) fs.writeFileSync(process.env.BENCH_WALK_SHAPES, JSON.stringify(Object.fromEntries([...byShape].map(([k, v]) => [k, Math.round(v)]))))
const prepared = (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows[0]!.n
const memory = (await sql<{ mib: number }>`select round(sum(total_bytes) / 1048576.0, 1)::float8 as mib from pg_backend_memory_contexts where name in ('CachedPlan', 'CachedPlanQuery', 'CachedPlanSource')`.execute(db)).rows[0]!.mib
console.log(JSON.stringify({ pages: pages.length, shapes: shapes.size, texts_outside_transactions: texts.size, prepared, prepared_mib: memory, walks_ms }))
await db.destroy()
if (!pglite.closed) await pglite.close()
