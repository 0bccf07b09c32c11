/**
 * Time to interactive of the pages a secretariat works in, in headless Chromium (issue 15), on a
 * generated register (bench/generate.ts) served by the real server (src/server.ts):
 *
 *   DATABASE_URL=postgres://…/navet_perf npm run bench:pages-browser      PostgreSQL (say which scale)
 *   npm run bench:pages-browser -- --data-dir /tmp/navet-big               PGlite (a generated data dir)
 *
 * For each page, logged in as an administrator (one browser context, so its caches are warm as a
 * returning user's are), one warm-up load and BENCH_RUNS (5) timed loads, medians of:
 *
 *   - response: navigation start → first byte of the page (the server's time, seen by the browser);
 *   - parsed: → DOMContentLoaded (the HTML read, deferred scripts run);
 *   - load: → the load event;
 *   - interactive: the end of the last long task (> 50 ms on the main thread, Long Tasks API)
 *     before 500 ms went by without one, or DOMContentLoaded when later — Lighthouse's idea of
 *     TTI, without its network quiet window (the pages load nothing after their own scripts);
 *   - for the network page, also `drawn`: → the graph laid out and drawn (data-layout-done);
 *   - `stale_loads`, `fresh_ms`: how many loads were given the last view while the newest was
 *     computed, and when (median) the page had swapped in the newest by itself (its notice gone).
 *
 * "network (as opened), after a write" loads the page right after each write through the API: the
 * view is read and measured again, and its layout computed meanwhile. BENCH_PAGES='network' (a
 * regular expression) measures only the pages whose names match.
 *
 * Figures, not assertions: 2 cores shared by the browser, the server and the database.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { sql } from 'kysely'
import { connect } from '../src/db/connect.ts'
import { createUser } from '../src/users/users.service.ts'
import { createSession } from '../src/auth/sessions.ts'
import { CHROMIUM_ARGS, median, startServer } from './network-browser.bench.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const dirAt = args.indexOf('--data-dir')
const dataDir = dirAt >= 0 ? args[dirAt + 1] : undefined
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
/** BENCH_PAGES: only the pages whose names match (a regular expression), e.g. 'network'. */
const ONLY = process.env.BENCH_PAGES ? new RegExp(process.env.BENCH_PAGES) : null
const USER = { email: 'bench.pages@example.se', password: 'Bänkprov med saffran 1' }
const engine = dataDir ? 'pglite' : 'postgres'
if (!dataDir && !process.env.DATABASE_URL) throw new Error('DATABASE_URL or --data-dir')

const AFTER_WRITE = 'network (as opened), after a write'

/** A write the data version follows: the organisation's name with " (bench)" added or taken off, through the API. */
async function write(url: string, api: string, org: string): Promise<void> {
  const headers = { authorization: `Bearer ${api}`, 'content-type': 'application/json' }
  const current = (await (await fetch(`${url}/api/v1/organisations/${org}`, { headers })).json()) as { name: string; version: number }
  const res = await fetch(`${url}/api/v1/organisations/${org}`, { method: 'PATCH', headers, body: JSON.stringify({ name: current.name.endsWith(' (bench)') ? current.name.slice(0, -8) : `${current.name} (bench)`, version: current.version }) })
  if (!res.ok) throw new Error(`write: ${res.status} ${await res.text()}`)
}

interface Timing { response: number; parsed: number; load: number; interactive: number; longTasks: number; kb: number; drawn?: number; stale?: number; fresh?: number }

/** The pages: the lists, a record of each kind, search and the network, with ids from the data. */
interface Pages { list: [string, string][]; api: string; org: string }

async function pages(): Promise<Pages> {
  const handle = await connect({ databaseUrl: process.env.DATABASE_URL, dataDir: dataDir ?? '' })
  try {
    const db = handle.db
    const userId = (await db.selectFrom('users').select('id').where('email', '=', USER.email).executeTakeFirst())?.id ??
      (await createUser(db, { email: USER.email, name: 'Bench Pages', role: 'admin', active: true, password: USER.password }, { userId: null })).id
    const api = (await createSession(db, userId, 'api')).token
    const one = async (q: ReturnType<typeof sql<{ id: string }>>) => (await q.execute(db)).rows[0]!.id
    const org = await one(sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id where o.deleted_at is null group by o.id order by count(*) desc, o.id limit 1`)
    const contact = await one(sql<{ id: string }>`select contact_id as id from affiliations where organisation_id = ${org} order by contact_id limit 1`)
    const plan = await one(sql<{ id: string }>`select id from plans where deleted_at is null order by sort_name limit 1`)
    const list: [string, string][] = [
      ['dashboard', '/'],
      ['contacts list', '/contacts'],
      ['contacts, searched', '/contacts?q=lind'],
      ['organisations list', '/organisations'],
      ['activities list', '/activities'],
      ['plans list', '/plans'],
      ['a plan', `/plans/${plan}`],
      ['a contact', `/contacts/${contact}`],
      ['an organisation', `/organisations/${org}`],
      ['search', '/search?q=andersson'],
      ['network (as opened)', '/network'],
      ['network, an organisation\'s ego network', `/network?focus=${org}&depth=1`],
      // Each load right after a write through the API: the view is read and measured again, and
      // its layout is being computed while the page draws (AFTER_WRITE).
      [AFTER_WRITE, '/network'],
    ]
    return { list, api, org }
  } finally {
    await handle.close()
  }
}

async function login(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage()
  await page.goto(`${url}/login`)
  await page.locator('#f-email').fill(USER.email)
  await page.locator('#f-password').fill(USER.password)
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form[action="/login"] button[type=submit]').click()])
  await page.close()
}

async function load(context: BrowserContext, url: string): Promise<Timing> {
  const page = await context.newPage()
  try {
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: [number, number][] }
      w.__longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration])
      }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 })
    if (url.includes('/network')) await page.waitForSelector('#network-graph[data-layout-done]', { timeout: 180_000 })
    // Quiet for 500 ms: no long task started since.
    const timing: Timing = await page.evaluate(async () => {
      const w = window as unknown as { __longTasks: [number, number][] }
      const lastEnd = () => w.__longTasks.reduce((m, [s, d]) => Math.max(m, s + d), 0)
      for (let waited = 0; waited < 15_000; waited += 100) {
        if (performance.now() - lastEnd() >= 500) break
        await new Promise((r) => setTimeout(r, 100))
      }
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const graph = document.getElementById('network-graph')
      return {
        response: nav.responseStart,
        parsed: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        interactive: Math.max(nav.domContentLoadedEventEnd, lastEnd()),
        longTasks: w.__longTasks.length,
        kb: Math.round(nav.encodedBodySize / 1024),
        ...(graph?.dataset.tDone ? { drawn: Number(graph.dataset.tDone) } : {}),
      }
    })
    // The last view, shown while the newest is computed (src/network/view.ts staleWhileComputing):
    // also when the page has swapped in the view of the latest change by itself.
    if (!url.includes('/network') || (await page.locator('#network-refresh').count()) === 0) return timing
    await page.waitForSelector('#network-refresh', { state: 'detached', timeout: 180_000 })
    return { ...timing, stale: 1, fresh: await page.evaluate(() => performance.now()) }
  } finally {
    await page.close()
  }
}

async function main() {
  const { list, api, org } = await pages()
  const server = await startServer(dataDir ?? '', process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {})
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
  const results: Record<string, unknown>[] = []
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'sv-SE' })
    await login(context, server.url)
    for (const [name, pagePath] of list) {
      if (ONLY && !ONLY.test(name)) continue
      const before = name === AFTER_WRITE ? () => write(server.url, api, org) : async () => {}
      await before()
      await load(context, server.url + pagePath)
      const runs: Timing[] = []
      for (let r = 0; r < RUNS; r++) {
        await before()
        runs.push(await load(context, server.url + pagePath))
      }
      // An odd number of writes left the organisation's name with " (bench)".
      if (name === AFTER_WRITE && RUNS % 2 === 0) await write(server.url, api, org)
      const m = (k: keyof Timing) => Math.round(median(runs.map((r) => Number(r[k] ?? NaN))))
      const row = { page: name, path: pagePath.replace(/[0-9a-f-]{36}/g, ':id'), response_ms: m('response'), parsed_ms: m('parsed'), load_ms: m('load'), interactive_ms: m('interactive'), ...(runs[0]!.drawn !== undefined ? { drawn_ms: m('drawn') } : {}),
        // How many loads were given the last view, and when the view of the latest change replaced it.
        ...(runs.some((r) => r.stale) ? { stale_loads: runs.filter((r) => r.stale).length, fresh_ms: Math.round(median(runs.filter((r) => r.fresh !== undefined).map((r) => r.fresh!))) } : {}),
        long_tasks: m('longTasks'), kb: m('kb'), load_average: os.loadavg()[0]!.toFixed(2) }
      results.push(row)
      console.log(JSON.stringify(row))
    }
    await context.close()
  } finally {
    await browser.close()
    await server.stop()
  }
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
  // Some pages only (BENCH_PAGES): in a file of their own, the whole run's is left as it is.
  const file = `bench/results/pages-browser-${engine}${ONLY ? '-some' : ''}.json`
  fs.writeFileSync(path.join(ROOT, file), JSON.stringify({ at: new Date().toISOString(), engine, cpus: os.cpus().length, node: process.version, runs: RUNS, ...(ONLY ? { pages: String(ONLY) } : {}), results }, null, 2))
}

await main()
