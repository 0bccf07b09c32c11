/**
 * The network page in the browser (issue 6): for networks of 500, 2 000 and 10 000 nodes (30 %
 * organisations, 70 % people, mean degree about 4: edges ≈ 2 × nodes, mostly within a county so
 * that there are communities), in headless Chromium (/usr/bin/chromium through playwright-core,
 * the arguments of tests/e2e/helpers/browser.ts):
 *
 *   - shown: navigation start → the graph container says `data-layout-done` (the layout has run
 *     and a frame with it has been drawn), as the page's own performance.now();
 *   - drag fps: animation frames per second while the mouse drags the view about for 3 s;
 *   - scripted fps: the same with cy.panBy on every frame (everything redrawn each frame, where a
 *     drag lets Cytoscape hide edges and pan a texture);
 *
 * each the median of BENCH_RUNS (3) page loads, for the page as it opens (`/network`: above
 * 1 500 nodes the server sends ForceAtlas2 positions, above 3 000 it collapses communities) and,
 * for the largest size, with every node shown (`cluster=none`).
 *
 * The data goes straight into a fresh embedded database (INSERT … SELECT generate_series) after
 * the real server has migrated it; then the real server (src/server.ts) serves it.
 *
 *   npm run bench:network-browser            BENCH_SIZES=500,2000,10000 BENCH_RUNS=3
 *
 * Figures, not assertions: the machine is shared (2 cores, software rendering).
 */
import { PGlite } from '@electric-sql/pglite'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { pgliteExtensions } from '../src/db/connect.ts'
import { freePort } from './serve.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const SIZES = (process.env.BENCH_SIZES ?? '500,2000,10000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const PAN_MS = 3000
const ADMIN = { email: 'bench.admin@example.se', password: 'Bänkprov med kardemumma 1' }
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']


interface Server {
  url: string
  stop(): Promise<void>
}

/** The real server on this data directory (PGlite), or on the database `extra.DATABASE_URL` names. */
export async function startServer(dataDir: string, extra: NodeJS.ProcessEnv = {}): Promise<Server> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }
  delete env.DATABASE_URL
  Object.assign(env, extra)
  const child: ChildProcess = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`)
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`server not healthy: ${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

const COUNTIES = ['Stockholms län', 'Skåne län', 'Västra Götalands län', 'Jönköpings län', 'Kalmar län', 'Kronobergs län', 'Norrbottens län', 'Dalarnas län']

/**
 * n nodes: organisations 0…o-1 (county = index mod 8) and people 0…p-1. Each person works at two
 * organisations of one county (one in 25 at a third, next door: the bridges), and each
 * organisation partners and advises others of its county: edges ≈ 2 n, a mean degree of about 4.
 */
export async function fill(dataDir: string, n: number): Promise<{ nodes: number; edges: number }> {
  const o = Math.max(8, Math.round(n * 0.3))
  const p = n - o
  const db = await PGlite.create({ dataDir, extensions: pgliteExtensions })
  try {
    await db.exec(`
      insert into organisations (id, name, kind, county, sort_name)
      select md5('org' || i)::uuid, 'Organisation ' || i, (array['municipality','authority','county_board','region','ngo','research','business'])[1 + i % 7],
        (array['${COUNTIES.join("','")}'])[1 + i % 8], lower('Organisation ' || lpad(i::text, 6, '0'))
      from generate_series(0, ${o - 1}) i;
      insert into contacts (id, first_name, last_name, sort_name)
      select md5('person' || i)::uuid, (array['Anna','Erik','Maria','Lars','Karin','Johan','Sara','Per'])[1 + i % 8], 'Testperson ' || i, 'testperson ' || lpad(i::text, 7, '0')
      from generate_series(0, ${p - 1}) i;
      -- First job: organisation i mod o; second: another one of the same county.
      insert into affiliations (contact_id, organisation_id, start_date)
      select md5('person' || i)::uuid, md5('org' || (i % ${o}))::uuid, date '2010-01-01' from generate_series(0, ${p - 1}) i;
      insert into affiliations (contact_id, organisation_id, start_date)
      select md5('person' || i)::uuid, md5('org' || ((i % ${o} + 8 * (1 + (i / ${o}) % 5)) % ${o}))::uuid, date '2012-01-01'
      from generate_series(0, ${p - 1}) i where (i % ${o} + 8 * (1 + (i / ${o}) % 5)) % ${o} <> i % ${o};
      insert into affiliations (contact_id, organisation_id, start_date)
      select md5('person' || i)::uuid, md5('org' || ((i % ${o} + 1) % ${o}))::uuid, date '2015-01-01'
      from generate_series(0, ${p - 1}) i where i % 25 = 0;
      insert into organisation_relationships (from_organisation_id, to_organisation_id, type, start_date)
      select md5('org' || i)::uuid, md5('org' || ((i + 8) % ${o}))::uuid, 'partner_of', date '2011-01-01'
      from generate_series(0, ${o - 1}) i where (i + 8) % ${o} <> i;
      insert into organisation_relationships (from_organisation_id, to_organisation_id, type, start_date)
      select md5('org' || i)::uuid, md5('org' || ((i + 16) % ${o}))::uuid, 'advises', date '2013-01-01'
      from generate_series(0, ${o - 1}) i where (i + 16) % ${o} not in (i, (i + 8) % ${o});
    `)
    const edges = await db.query<{ n: number }>(`select (select count(*) from affiliations) + (select count(*) from organisation_relationships) as n`)
    return { nodes: n, edges: Number(edges.rows[0]!.n) }
  } finally {
    await db.close()
  }
}

async function login(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`)
  await page.locator('#f-email').fill(ADMIN.email)
  await page.locator('#f-password').fill(ADMIN.password)
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form[action="/login"] button[type=submit]').click()])
}

interface Run {
  shownMs: number
  serverMs: number
  layoutMs: number
  fps: number
  scriptedFps: number
  nodes: number
  edges: number
  renderer: string
  marks: Record<string, number>
}

/** One page load: time until drawn, then frames per second while panning for 3 s. */
async function measure(browser: Browser, url: string, path: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'sv-SE' })
  try {
    const page = await context.newPage()
    await login(page, url)
    await page.goto(url + path, { timeout: 180_000 })
    await page.waitForSelector('#network-graph[data-layout-done]', { timeout: 180_000 })
    const shown = await page.evaluate(() => {
      const d = document.getElementById('network-graph')!.dataset
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      return {
        shownMs: Number(d.tDone), serverMs: nav.responseStart, layoutMs: Number(d.layoutMs ?? 0), nodes: Number(d.nodeCount), edges: Number(d.edgeCount), renderer: d.renderer ?? '',
        marks: { response: Math.round(nav.responseEnd), parsed: Math.round(nav.domInteractive), script: Number(d.tLoad), added: Number(d.tAdded), layout: Number(d.tLayout), drawn: Number(d.tDone) },
      }
    })
    await page.locator('#network-graph').scrollIntoViewIfNeeded()
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    const box = (await page.locator('#network-graph').boundingBox())!
    // Frames drawn while a person drags the view about for 3 s (mouse events every ~16 ms).
    const counting = page.evaluate(
      (ms) =>
        new Promise<number>((resolve) => {
          let frames = 0
          const start = performance.now()
          const step = (now: number) => {
            if (now - start >= ms) return resolve((frames * 1000) / (now - start))
            frames++
            requestAnimationFrame(step)
          }
          requestAnimationFrame(step)
        }),
      PAN_MS,
    )
    let done = false
    void counting.then(() => (done = true))
    const midX = box.x + box.width / 2
    const midY = box.y + box.height / 2
    await page.mouse.move(midX, midY)
    await page.mouse.down()
    for (let i = 0; !done; i++) {
      const a = (i / 30) * Math.PI
      await page.mouse.move(midX + Math.cos(a) * 120, midY + Math.sin(a) * 80)
      await new Promise((r) => setTimeout(r, 16))
    }
    await page.mouse.up()
    const fps = await counting
    // The same for a pan made by script on every frame (cy.panBy): the whole graph redrawn each frame.
    const scriptedFps = await page.evaluate(
      (ms) =>
        new Promise<number>((resolve) => {
          const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: { panBy(p: { x: number; y: number }): void } } })._cyreg.cy
          let frames = 0
          const start = performance.now()
          const step = (now: number) => {
            const t = now - start
            if (t >= ms) return resolve((frames * 1000) / t)
            frames++
            cy.panBy({ x: Math.floor(t / 500) % 2 ? -4 : 4, y: Math.floor(t / 750) % 2 ? -3 : 3 })
            requestAnimationFrame(step)
          }
          requestAnimationFrame(step)
        }),
      PAN_MS,
    )
    return { ...shown, fps, scriptedFps }
  } finally {
    await context.close()
  }
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
  const results: Record<string, unknown>[] = []
  try {
    for (const size of SIZES) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-netbrowser-'))
      try {
        // The real server migrates the empty database and creates the admin; then the data goes in.
        await (await startServer(dataDir)).stop()
        const data = await fill(dataDir, size)
        const server = await startServer(dataDir)
        try {
          // As opened, people are folded into their organisations; `people=show` draws every person too.
          const views = [['/network', 'as opened'], ['/network?people=show', 'every person']]
          if (size > 3000) views.push(['/network?people=show&cluster=none', 'every node'])
          for (const [view, label] of views) {
            // A first load warms the server's layout cache and the browser's caches.
            await measure(browser, server.url, view!)
            const runs: Run[] = []
            for (let r = 0; r < RUNS; r++) runs.push(await measure(browser, server.url, view!))
            const row = {
              size,
              edges_in_register: data.edges,
              view: label,
              drawn_nodes: runs[0]!.nodes,
              drawn_edges: runs[0]!.edges,
              renderer: runs[0]!.renderer,
              shown_ms: Math.round(median(runs.map((r) => r.shownMs))),
              server_ms: Math.round(median(runs.map((r) => r.serverMs))),
              layout_ms: Math.round(median(runs.map((r) => r.layoutMs))),
              drag_fps: Math.round(median(runs.map((r) => r.fps)) * 10) / 10,
              scripted_pan_fps: Math.round(median(runs.map((r) => r.scriptedFps)) * 10) / 10,
              runs: runs.map((r) => ({ shown_ms: Math.round(r.shownMs), drag_fps: Math.round(r.fps * 10) / 10, scripted_fps: Math.round(r.scriptedFps * 10) / 10, marks: r.marks })),
            }
            results.push(row)
            console.log(JSON.stringify(row))
          }
        } finally {
          await server.stop()
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    await browser.close()
  }
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
  fs.writeFileSync(path.join(ROOT, 'bench/results/network-browser.json'), JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2))
}

if (import.meta.main) await main()
