import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { serverDatabase } from './bench-server-db.ts'
import { generateRegister } from './register-data.ts'
import { load, ROOT, round, rssMiB, startApp } from './serve.ts'

/**
 * `npm run bench:csv` (PGlite) or `DATABASE_URL=postgres://… npm run bench:csv`: the contacts CSV
 * export of 10 000 and of 50 000 rows from the running server (issue 15: ≥ 20 000 rows/s, memory
 * flat in the row count). Each export is read to its end by this process while the server's RSS
 * is sampled every 20 ms: rows/s, and the growth of RSS above what it was before the export.
 * BENCH_CSV_CONTACTS (50 000) and BENCH_CSV_RUNS (2, alternating) change the size and repeats.
 */
const CONTACTS = Number(process.env.BENCH_CSV_CONTACTS ?? 50_000)
const SMALL = Math.round(CONTACTS / 5)
const RUNS = Number(process.env.BENCH_CSV_RUNS ?? 2)

async function main() {
  const t0 = performance.now()
  const target = await serverDatabase('navet_bench_csv', async (db) => {
    await generateRegister(db, { organisations: 2_000, contacts: CONTACTS })
    // The first fifth by id, tagged: the smaller export.
    await sql`update contacts set tags = tags || '{bench_small}'::text[] where id in (select id from contacts order by id limit ${SMALL})`.execute(db)
    await sql`analyze`.execute(db)
  })
  process.stderr.write(`${target.engine}: ${CONTACTS} contacts in ${round((performance.now() - t0) / 1000)} s\n`)
  const server = await startApp(target.env)
  const results: Record<string, unknown>[] = []
  try {
    const headers = { authorization: `Bearer ${target.token}` }
    await (await fetch(`${server.url}/api/v1/contacts?limit=50`, { headers })).arrayBuffer()
    await new Promise((r) => setTimeout(r, 1000))
    const exportOf = async (query: string) => {
      const pid = server.child.pid!
      const before = rssMiB(pid)
      let peak = before
      const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20)
      const t = performance.now()
      const res = await fetch(`${server.url}/api/v1/contacts?format=csv${query}`, { headers })
      let bytes = 0
      let lines = 0
      for await (const piece of res.body!) {
        bytes += piece.byteLength
        for (const b of piece) if (b === 10) lines++
      }
      const ms = performance.now() - t
      clearInterval(timer)
      const rows = lines - 1
      return { rows, status: res.status, mib: round(bytes / 2 ** 20), ms: round(ms, 0), rows_per_s: round(rows / (ms / 1000), 0), rss_before_mib: before, rss_peak_mib: peak, rss_growth_mib: round(peak - before, 0), load: load() }
    }
    for (let i = 0; i < RUNS; i++) {
      for (const [label, query] of [[`${SMALL}`, '&tag=bench_small'], [`${CONTACTS}`, '']] as const) {
        const r = await exportOf(query)
        results.push({ export: label, ...r })
        process.stderr.write(`  ${label} rows: ${r.rows} in ${r.ms} ms = ${r.rows_per_s} rows/s, RSS ${r.rss_before_mib} → peak ${r.rss_peak_mib} MiB (+${r.rss_growth_mib}), load ${r.load}\n`)
        await new Promise((res) => setTimeout(res, 1000))
      }
    }
  } finally {
    await server.stop()
    await target.drop()
  }
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `csv-export-${target.engine}.json`), JSON.stringify({ benchmark: 'csv-export', engine: target.engine, date: new Date().toISOString(), contacts: CONTACTS, results }, null, 2) + '\n')
}

await main()
