/**
 * CSV import throughput (issue 3): a generated 10 000-row organisations file, imported into an
 * empty register; the same file imported again (every row found by its organisation number,
 * nothing changes); and a 10 000-row contacts file whose people work at those organisations.
 *
 *   npm run bench:import                                   embedded database (PGlite, on disk)
 *   DATABASE_URL=postgres://… npm run bench:import         PostgreSQL: a fresh database
 *                                                          `navet_bench_import`, dropped after
 *
 * Runs the import's own code in-process — decode, parse, plan (validation with the API's zod
 * schemas, duplicate lookups), then the one-transaction run with its audit rows and report —
 * exactly what POST /import/:id/run does, without HTTP (batches of 500 rows, each its own transaction). Each run starts from an empty, migrated
 * database. BENCH_RUNS (default 3), BENCH_ROWS (default 10000) and BENCH_CONTACTS=0 (skip the
 * contacts file) shorten a trial. Results go to bench/results/import-<engine>.json.
 * Organisations and places are real public bodies; every person is fictional (example.se).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { connect, type DbHandle } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { COUNTIES } from '../src/register/counties.ts'
import { decodeCsv, detectDelimiter, readCsv } from '../src/import/csv-read.ts'
import { guessMapping, headerKey } from '../src/import/import-fields.ts'
import { DEFAULT_DECISIONS, planImport } from '../src/import/import-plan.ts'
import { startImport } from '../src/import/import-run.ts'
import { findUpload, saveMapping, saveUpload } from '../src/import/import.repo.ts'
import type { ImportEntity } from '../src/db/schema.ts'
import { translator } from '../src/web/i18n.ts'
import { features } from '../src/features.ts'
import { plugIn } from '../src/web/plug-in.ts'
import iconv from 'iconv-lite'

// The features' texts, as the app plugs them in at start: the import reads an organisation's kind
// from its label ("Kommun"), and without the catalogue every row failed.
plugIn(features)

const ROOT = path.resolve(import.meta.dirname, '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000)
const CONTACTS = process.env.BENCH_CONTACTS !== '0'
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_import'
const t = translator('sv')

const PLACES = ['Stockholm', 'Uppsala', 'Nyköping', 'Linköping', 'Jönköping', 'Växjö', 'Kalmar', 'Visby', 'Karlskrona', 'Malmö', 'Halmstad',
  'Göteborg', 'Karlstad', 'Örebro', 'Västerås', 'Falun', 'Gävle', 'Härnösand', 'Östersund', 'Umeå', 'Luleå']
const PATTERNS: [kind: string, name: (place: string, n: number) => string][] = [
  ['Kommun', (p, n) => `Integrationsenheten ${n} i ${p}`],
  ['Frivilligorganisation', (p, n) => `Föreningen Nya Vänner ${p} ${n}`],
  ['Region', (p, n) => `Vårdcentralen ${p} ${n}`],
  ['Myndighet', (p, n) => `Arbetsförmedlingen ${p} kontor ${n}`],
  ['FoU', (p, n) => `FoU-enheten ${p} ${n}`],
  ['Företag', (p, n) => `Tolkservice ${p} ${n} AB`],
]
const FIRST = ['Anna', 'Åsa', 'Märta', 'Lars', 'Örjan', 'Fatima', 'Amir', 'Karin', 'Björn', 'Ebba', 'Jussi', 'Leyla']
const LAST = ['Andersson', 'Öberg', 'Lindqvist', 'Sjöberg', 'Ek', 'Fältskär', 'Holm', 'Wallin', 'Bäck', 'Åkesson']

/** A valid organisation number from nine digits (Luhn check digit). */
function orgNumber(nine: string): string {
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`
}
const numberOf = (i: number) => orgNumber(String(802100000 + i))

/** As Swedish Excel saves "CSV (semikolonavgränsad)": Windows-1252, semicolons, CRLF. */
function organisationsCsv(rows: number): Uint8Array {
  const lines = ['Namn;Typ;Organisationsnummer;Län;Webbplats;Taggar']
  for (let i = 0; i < rows; i++) {
    const [kind, name] = PATTERNS[i % PATTERNS.length]!
    const place = PLACES[i % PLACES.length]!
    lines.push([name(place, i), kind, numberOf(i), COUNTIES[i % COUNTIES.length], `www.exempel${i}.se`, 'integration, nätverk'].join(';'))
  }
  return iconv.encode(lines.join('\r\n') + '\r\n', 'win1252')
}

/** "CSV UTF-8" from Excel: a byte-order mark, commas. */
function contactsCsv(rows: number, orgs: number): Uint8Array {
  const lines = ['Förnamn,Efternamn,E-post,Telefon,Titel,Organisation']
  for (let i = 0; i < rows; i++) {
    lines.push([FIRST[i % FIRST.length], LAST[(i * 7) % LAST.length], `person${i}@example.se`, `036-10 ${String(i % 100).padStart(2, '0')} 00`, 'Handläggare', numberOf(i % orgs)].join(','))
  }
  return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n')
}

async function freshDb(): Promise<DbHandle & { cleanup(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const adminUrl = process.env.DATABASE_URL!
    const admin = async (q: string) => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(q)
      } finally {
        await client.end()
      }
    }
    await admin(`drop database if exists ${BENCH_DB} with (force)`)
    await admin(`create database ${BENCH_DB}`)
    const url = new URL(adminUrl)
    url.pathname = `/${BENCH_DB}`
    const handle = await connect({ databaseUrl: url.toString(), dataDir: '' })
    return { ...handle, cleanup: async () => { await handle.close(); await admin(`drop database if exists ${BENCH_DB} with (force)`) } }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-import-'))
  const handle = await connect({ dataDir })
  return { ...handle, cleanup: async () => { await handle.close(); fs.rmSync(dataDir, { recursive: true, force: true }) } }
}

interface Timing {
  rows: number
  parse_ms: number
  preview_ms: number
  run_ms: number
  rows_per_s: number
  created: number
  unchanged: number
}

/** Upload → mapping → preview → run, each step timed the way the pages call it. */
async function importOnce(h: DbHandle, userId: string, entity: ImportEntity, bytes: Uint8Array): Promise<Timing> {
  let start = performance.now()
  const content = decodeCsv(bytes)
  const delimiter = detectDelimiter(content)
  const table = readCsv(content, delimiter)
  const parse_ms = performance.now() - start
  const id = await saveUpload(h.db, { user_id: userId, entity, filename: `bench-${entity}.csv`, content, delimiter })
  const mapping = guessMapping(entity, table.headers)
  await saveMapping(h.db, (await findUpload(h.db, id, userId))!, headerKey(entity, table.headers), mapping)
  start = performance.now()
  await planImport(h.db, { entity, table, mapping, decisions: DEFAULT_DECISIONS, t })
  const preview_ms = performance.now() - start
  start = performance.now()
  const { reportId, done } = await startImport(h.db, id, DEFAULT_DECISIONS, { userId }, t)
  await done
  const run_ms = performance.now() - start
  const report = await h.db.selectFrom('import_reports').selectAll().where('id', '=', reportId).executeTakeFirstOrThrow()
  if (report.failed) throw new Error(`${report.failed} rows failed: ${JSON.stringify(report.failed_rows.slice(0, 3))}`)
  return { rows: table.rows.length, parse_ms, preview_ms, run_ms, rows_per_s: table.rows.length / (run_ms / 1000), created: report.created, unchanged: report.unchanged }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round = (x: number) => Math.round(x)

async function main() {
  const orgFile = organisationsCsv(ROWS)
  const contactFile = contactsCsv(ROWS, ROWS)
  const runs: { first: Timing; again: Timing; contacts?: Timing }[] = []
  for (let r = 0; r < RUNS; r++) {
    const h = await freshDb()
    try {
      await migrateToLatest(h.db)
      const user = await h.db
        .insertInto('users')
        .values({ email: 'bench@example.se', name: 'Bench', sort_name: 'bench', role: 'editor', password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const first = await importOnce(h, user.id, 'organisations', orgFile)
      const again = await importOnce(h, user.id, 'organisations', orgFile)
      const contacts = CONTACTS && r === 0 ? await importOnce(h, user.id, 'contacts', contactFile) : undefined
      runs.push({ first, again, contacts })
      console.error(`run ${r + 1}: ${round(first.rows_per_s)} rows/s new, ${round(again.rows_per_s)} rows/s again${contacts ? `, contacts ${round(contacts.rows_per_s)} rows/s` : ''}`)
    } finally {
      await h.cleanup()
    }
  }
  const summary = (pick: (x: (typeof runs)[number]) => Timing | undefined) => {
    const ts = runs.map(pick).filter((x): x is Timing => !!x)
    if (!ts.length) return undefined
    return {
      runs: ts.length,
      rows: ts[0]!.rows,
      parse_ms: round(median(ts.map((x) => x.parse_ms))),
      preview_ms: round(median(ts.map((x) => x.preview_ms))),
      run_ms: round(median(ts.map((x) => x.run_ms))),
      rows_per_s: round(median(ts.map((x) => x.rows_per_s))),
      rows_per_s_all: ts.map((x) => round(x.rows_per_s)),
    }
  }
  const result = {
    engine: ENGINE,
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    organisations_new: summary((x) => x.first),
    organisations_again: summary((x) => x.again),
    contacts_new: summary((x) => x.contacts),
  }
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
  fs.writeFileSync(path.join(ROOT, `bench/results/import-${ENGINE}.json`), JSON.stringify(result, null, 2) + '\n')
  console.log(`| ${ENGINE} | file | rows | parse ms | preview ms | run ms | rows/s (median of ${RUNS}) |`)
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
  for (const [label, s] of [['organisations, new', result.organisations_new], ['organisations, again', result.organisations_again], ['contacts, new', result.contacts_new]] as const) {
    if (s) console.log(`| ${ENGINE} | ${label} | ${s.rows} | ${s.parse_ms} | ${s.preview_ms} | ${s.run_ms} | ${s.rows_per_s} (${s.rows_per_s_all.join(', ')}) |`)
  }
}

await main()
