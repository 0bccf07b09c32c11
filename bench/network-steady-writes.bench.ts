/**
 * The network page open while the register is written to (issue 15; bench/README.md, "The network
 * page right after a write"): the page is opened right after a write, so that it shows the last view
 * and asks again every 3 s, and then a write comes every `--every` seconds (API PATCH, an
 * organisation's name toggled) for `--for` seconds. Printed every write: the data version the page
 * shows, the register's, and whether it still asks; at the end the server's CPU over the run (all
 * its threads, from /proc). The server must already run at URL on DATABASE_URL:
 *
 *   DATABASE_URL=postgres://…/navet_perf200 URL=http://127.0.0.1:3301 \
 *     npm run bench:network-steady-writes -- [--every 2] [--for 80]
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { chromium } from 'playwright-core'
import { sql } from 'kysely'
import { kyselyOverPostgres } from '../src/db/connect.ts'
import { benchSessions } from './bench-server-db.ts'
import { CHROMIUM_ARGS } from './network-browser.bench.ts'

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const EVERY = arg('every', 2) * 1000
const FOR = arg('for', 80) * 1000
const url = process.env.URL ?? 'http://127.0.0.1:3000'
const { db } = kyselyOverPostgres(process.env.DATABASE_URL!)
const { api, browser: cookie } = await benchSessions(db)
const org = (await sql<{ id: string }>`select id from organisations where deleted_at is null order by id limit 1`.execute(db)).rows[0]!.id
const version = async () => (await sql<{ v: string }>`select sum(n)::text as v from data_version`.execute(db)).rows[0]!.v
const headers = { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }
let writes = 0
async function write(): Promise<void> {
  const o = (await (await fetch(`${url}/api/v1/organisations/${org}`, { headers })).json()) as { name: string; version: number }
  const name = o.name.endsWith(' (bench)') ? o.name.slice(0, -8) : `${o.name} (bench)`
  const res = await fetch(`${url}/api/v1/organisations/${org}`, { method: 'PATCH', headers, body: JSON.stringify({ version: o.version, name }) })
  if (!res.ok) throw new Error(`write: ${res.status}`)
  writes++
}
const port = new URL(url).port
const pid = execFileSync('bash', ['-c', `ss -ltnp | grep ':${port} ' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`]).toString().trim()
const cpu = () => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addCookies([{ name: 'session', value: cookie.token, url }])
  const page = await context.newPage()
  await page.goto(`${url}/network`, { timeout: 180_000 })
  await page.waitForSelector('#network-graph[data-layout-done]', { timeout: 180_000 })
  await write()
  await page.goto(`${url}/network`, { timeout: 180_000 })
  await page.waitForSelector('#network-graph[data-layout-done]', { timeout: 180_000 })
  const c0 = cpu()
  const t0 = Date.now()
  while (Date.now() - t0 < FOR) {
    await write()
    const shown = await page.evaluate(() => JSON.parse((document.getElementById('network-data') as HTMLTemplateElement).content.textContent!).meta.data_version as string)
    const asking = (await page.locator('#network-refresh').count()) > 0
    console.log(`t=${((Date.now() - t0) / 1000).toFixed(0)} s: the page shows version ${shown}, the register is at ${await version()}${asking ? ', the page asks again' : ''}`)
    await page.waitForTimeout(EVERY)
  }
  console.log(`server CPU ${cpu() - c0} ms in ${Date.now() - t0} ms`)
} finally {
  await browser.close()
  // An odd number of writes left the organisation's name with " (bench)".
  if (writes % 2 === 1) await write()
  await db.destroy()
}
