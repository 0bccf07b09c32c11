/**
 * How the app answers everyone else while one editor imports a large file (issue 10): a real
 * server process (`node src/server.ts`), an editor uploading a 50 000-row organisations CSV
 * (about 11 MB, as Excel saves it) and running the import, while a second client asks for
 * `/healthz` and a signed-in page (`/organisations`) one request after another, the whole time.
 *
 *   npm run bench:import-responsiveness                          embedded database (PGlite, on disk)
 *   DATABASE_URL=postgres://… npm run bench:import-responsiveness PostgreSQL: a fresh database
 *                                                                `navet_bench_responsive`, dropped after
 *
 * BENCH_ROWS (default 50000) changes the size. Writes bench/results/import-responsiveness-<engine>.json.
 * Organisation names are invented from real place names; nothing personal.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { COUNTIES } from '../src/register/counties.ts'
import { round, summary } from './bench-db.ts'
import { freePort } from './serve.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const ROWS = Number(process.env.BENCH_ROWS ?? 50_000)
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_responsive'
const ADMIN = { email: 'bench.admin@example.se', password: 'bench admin password' }
const PLACES = ['Stockholm', 'Uppsala', 'Nyköping', 'Linköping', 'Jönköping', 'Växjö', 'Kalmar', 'Visby', 'Karlskrona', 'Malmö', 'Halmstad', 'Göteborg', 'Karlstad', 'Örebro', 'Västerås', 'Falun', 'Gävle', 'Härnösand', 'Östersund', 'Umeå', 'Luleå']

function orgNumber(nine: string): string {
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`
}

function csv(rows: number): Buffer {
  const lines = ['Namn;Typ;Organisationsnummer;Län;Webbplats;Anteckningar']
  const note = 'Samverkar kring mottagande och etablering av nyanlända; kontakt via växeln. '.repeat(2)
  for (let i = 0; i < rows; i++) {
    const place = PLACES[i % PLACES.length]
    lines.push([`Föreningen Nya Vänner ${place} ${i}`, 'Frivilligorganisation', orgNumber(String(802100000 + i)), COUNTIES[i % COUNTIES.length], `www.exempel${i}.se`, `"${note}"`].join(';'))
  }
  return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n')
}


async function database(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await c.connect()
      try { await c.query(q) } finally { await c.end() }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${BENCH_DB}`
    return { env: { DATABASE_URL: url.toString() }, cleanup: () => admin(`drop database if exists ${BENCH_DB} with (force)`) }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-responsive-'))
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) }
}

async function main() {
  const db = await database()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...db.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break
      if (i > 1200) throw new Error('server did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
    const same = { origin: base, 'sec-fetch-site': 'same-origin' }
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { ...same, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(ADMIN) })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    if (!cookie.includes('session=')) throw new Error(`login failed: ${login.status}`)

    // The other user: one request after another, all the time.
    type Sample = { phase: string; path: string; ms: number; status: number }
    const samples: Sample[] = []
    let phase = 'idle'
    let probing = true
    const probe = async (p: string) => {
      while (probing) {
        const start = performance.now()
        const status = await fetch(`${base}${p}`, { headers: { cookie } }).then(async (r) => { await r.arrayBuffer(); return r.status }, () => 0)
        samples.push({ phase, path: p, ms: performance.now() - start, status })
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    const probes = [probe('/healthz'), probe('/organisations')]
    await new Promise((r) => setTimeout(r, 3000))

    const file = csv(ROWS)
    phase = 'upload'
    let t0 = performance.now()
    const body = new FormData()
    body.set('entity', 'organisations')
    body.set('file', new File([new Uint8Array(file)], 'stor-lista.csv', { type: 'text/csv' }))
    const uploaded = await fetch(`${base}/import`, { method: 'POST', redirect: 'manual', headers: { ...same, cookie }, body })
    const mappingUrl = uploaded.headers.get('location')
    if (uploaded.status !== 303 || !mappingUrl) throw new Error(`upload: ${uploaded.status}`)
    const mapping = { map_0: 'name', map_1: 'kind', map_2: 'org_number', map_3: 'county', map_4: 'website', map_5: 'notes' }
    const mapped = await fetch(`${base}${mappingUrl}`, { method: 'POST', redirect: 'manual', headers: { ...same, cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(mapping) })
    if (mapped.status !== 303) throw new Error(`mapping: ${mapped.status}`)
    const uploadMs = performance.now() - t0

    phase = 'import'
    t0 = performance.now()
    const run = await fetch(`${base}${mappingUrl.replace('/mapping', '/run')}`, { method: 'POST', redirect: 'manual', headers: { ...same, cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
    const reportUrl = run.headers.get('location')
    if (run.status !== 303 || !reportUrl) throw new Error(`run: ${run.status}`)
    for (;;) {
      const res = await fetch(`${base}${reportUrl}/progress`, { headers: { cookie, 'hx-request': 'true' } })
      await res.text()
      if (res.headers.get('hx-refresh')) break
      await new Promise((r) => setTimeout(r, 500))
    }
    const importMs = performance.now() - t0
    const report = await (await fetch(`${base}${reportUrl}`, { headers: { cookie } })).text()
    const created = Number(/<dt>Skapade<\/dt><dd>(\d+)<\/dd>/.exec(report)?.[1] ?? NaN)
    phase = 'after'
    await new Promise((r) => setTimeout(r, 1000))
    probing = false
    await Promise.all(probes)

    const stats = (ph: string) => Object.fromEntries(['/healthz', '/organisations'].map((p) => {
      const s = samples.filter((x) => x.phase === ph && x.path === p)
      return [p, { requests: s.length, errors: s.filter((x) => x.status !== 200).length, over_1s: s.filter((x) => x.ms > 1000).length, ...summary(s.map((x) => x.ms)) }]
    }))
    const result = {
      engine: ENGINE,
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      rows: ROWS,
      file_mb: round(file.length / 2 ** 20),
      created,
      upload_and_mapping_s: round(uploadMs / 1000),
      import_s: round(importMs / 1000),
      others_idle: stats('idle'),
      others_during_upload: stats('upload'),
      others_during_import: stats('import'),
    }
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, `bench/results/import-responsiveness-${ENGINE}.json`), JSON.stringify(result, null, 2) + '\n')
    console.log(JSON.stringify(result, null, 2))
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    await db.cleanup()
  }
}

await main()
