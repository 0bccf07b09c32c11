// Sending an issue to N subscribers through a local SMTP server (smtp-server, in this process):
// messages per second, the process's memory while sending, and the response time of a public
// page to other users meanwhile. `npm run bench:outreach [-- 10000]`; DATABASE_URL for PostgreSQL.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { serve } from '@hono/node-server'
import { sql } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import { SMTPServer } from 'smtp-server'
import { createApp } from '../src/app.ts'
import { DEFAULT_MAIL, loadConfig } from '../src/config.ts'
import { connect } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { createIssue, scheduleIssue } from '../src/newsletter/issues.service.ts'
import { startOutreach } from '../src/newsletter/outreach.ts'
import { percentile, round } from './bench-db.ts'

const N = Number(process.argv[2] ?? 10_000)
const log = pino({ level: 'silent' })

let received = 0
const smtp = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _session, cb) {
    stream.on('data', () => {})
    stream.on('end', () => { received++; cb() })
  },
})
await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r))
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`

const server = process.env.DATABASE_URL
const name = `navet_bench_outreach`
let dataDir = ''
if (server) {
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.query(`create database ${name}`)
  await admin.end()
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-outreach-'))
}
const url = server ? Object.assign(new URL(server), { pathname: `/${name}` }).toString() : undefined
const base = loadConfig({})
const config = { ...base, databaseUrl: url, dataDir, mail: { ...DEFAULT_MAIL, smtpUrl, from: 'Navet <navet@example.se>', rateLimit: 10_000 } }
const handle = await connect(config)
await migrateToLatest(handle.db)
const outreach = await startOutreach(handle, config, log)
const app = createApp({ db: handle.db, engine: handle.engine, config, log, outreach })
const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
await new Promise((r) => setTimeout(r, 200))
const port = (http.address() as { port: number }).port

const { rows: [list] } = await sql<{ id: string }>`insert into newsletter_lists (name) values ('Bench') returning id`.execute(handle.db)
await sql`insert into contacts (first_name, last_name, email, sort_name, categories)
  select 'Person', 'p' || g, 'p' || g || '@example.org', 'person p' || g, array['recipient'] from generate_series(1, ${N}::int) g`.execute(handle.db)
await sql`insert into newsletter_subscriptions (list_id, contact_id, status, confirmed_at) select ${list!.id}, id, 'subscribed', now() from contacts`.execute(handle.db)

async function latencies(ms: number, stop?: () => boolean): Promise<number[]> {
  const out: number[] = []
  const end = Date.now() + ms
  while (Date.now() < end && !(stop?.())) {
    const t0 = performance.now()
    await (await fetch(`http://127.0.0.1:${port}/newsletter`)).text()
    out.push(performance.now() - t0)
    await new Promise((r) => setTimeout(r, 100))
  }
  return out.sort((a, b) => a - b)
}

const idle = await latencies(3000)
const issue = await createIssue(handle.db, { list_ids: [list!.id], subject: 'Bench', body: 'Hej!\n\nhttps://example.se', theme_ids: [] }, { userId: null })
let peakRss = 0
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss) }, 200)
const rssBefore = process.memoryUsage().rss
const t0 = performance.now()
await scheduleIssue(handle.db, outreach.jobs, issue.id, { userId: null })
const busy = latencies(3_600_000, () => received >= N)
while (received < N) await new Promise((r) => setTimeout(r, 100))
const seconds = (performance.now() - t0) / 1000
clearInterval(sampler)
const during = await busy

const mb = (b: number) => round(b / 1024 / 1024)
console.log(JSON.stringify({
  engine: handle.engine, recipients: N, seconds: round(seconds), messages_per_second: round(N / seconds),
  rss_before_mib: mb(rssBefore), rss_peak_mib: mb(peakRss),
  newsletter_page_ms_idle: { p50: round(percentile(idle, 50)), p95: round(percentile(idle, 95)) },
  newsletter_page_ms_while_sending: { p50: round(percentile(during, 50)), p95: round(percentile(during, 95)), n: during.length },
}, null, 2))

await outreach.stop()
http.close()
await handle.close()
smtp.close()
if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
if (server) {
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.end()
}
process.exit(0)
