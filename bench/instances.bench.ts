import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { serverDatabase } from './bench-server-db.ts'
import { generateRegister } from './register-data.ts'
import { load, ROOT, round, rssMiB, startApp, startServer, type Server } from './serve.ts'

/**
 * `DATABASE_URL=postgres://… npm run bench:instances`: one app instance, then two, on one
 * PostgreSQL, each time behind the same tiny round-robin proxy (bench/round-robin-proxy.ts, in
 * its own process), under autocannon with a read mix: the contact list, an organisation list
 * filtered by kind, a contact, a search. Throughput (req/s) and latency of 1 vs 2 instances.
 * BENCH_DURATION (seconds per figure, 20), BENCH_CONNECTIONS (10), BENCH_CONTACTS (20 000).
 * On 2 cores shared with the database and the load generator, two instances cannot double
 * throughput: the figure shows where the machine, not the app, is the limit.
 */
interface AutocannonResult { requests: { average: number }; latency: { p50: number; p97_5: number; p99: number }; errors: number; timeouts: number; non2xx: number; '2xx': number }
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const DURATION_S = Number(process.env.BENCH_DURATION ?? 20)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 20_000)

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('two instances need PostgreSQL: set DATABASE_URL')
  const t0 = performance.now()
  const target = await serverDatabase('navet_bench_instances', async (db) => {
    await generateRegister(db, { organisations: 2_000, contacts: CONTACTS })
    await sql`analyze`.execute(db)
  })
  process.stderr.write(`${CONTACTS} contacts in ${round((performance.now() - t0) / 1000)} s\n`)
  const headers = { authorization: `Bearer ${target.token}` }
  const apps: Server[] = []
  const results: Record<string, unknown>[] = []
  try {
    for (const n of [1, 2]) {
      while (apps.length < n) apps.push(await startApp(target.env))
      const proxy = await startServer(['bench/round-robin-proxy.ts', '$PORT', ...apps.map((a) => a.url)], {}, async (url) => (await fetch(`${url}/healthz`)).ok)
      try {
        const list = (await (await fetch(`${proxy.url}/api/v1/contacts?limit=5`, { headers })).json()) as { data: { id: string }[] }
        const requests = [
          { method: 'GET', path: '/api/v1/contacts?limit=50' },
          { method: 'GET', path: '/api/v1/organisations?kind=ngo' },
          { method: 'GET', path: `/api/v1/contacts/${list.data[0]!.id}` },
          { method: 'GET', path: '/api/v1/search?q=jonkoping' },
        ]
        // Warm every instance on every read first.
        for (const a of apps) for (const r of requests) await (await fetch(a.url + r.path, { headers })).arrayBuffer()
        const r = await autocannon({ url: proxy.url, connections: CONNECTIONS, duration: DURATION_S, timeout: 30, headers, requests })
        const figure = {
          instances: n, connections: CONNECTIONS, duration_s: DURATION_S, rps: round(r.requests.average), p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99,
          ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts, rss_mib: apps.map((a) => rssMiB(a.child.pid!)), load: load(),
        }
        results.push(figure)
        process.stderr.write(`  ${n} instance(s) @${CONNECTIONS}: ${figure.rps} req/s, p50 ${figure.p50} p97.5 ${figure.p97_5} ms, non-2xx ${figure.non2xx}, errors ${figure.errors}, load ${figure.load}\n`)
      } finally {
        await proxy.stop()
      }
    }
  } finally {
    for (const a of apps) await a.stop()
    await target.drop()
  }
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'instances-postgres.json'), JSON.stringify({ benchmark: 'instances', date: new Date().toISOString(), cores: os.cpus().length, contacts: CONTACTS, results }, null, 2) + '\n')
}

await main()
