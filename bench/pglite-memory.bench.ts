import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pgliteExtensions } from '../src/db/connect.ts'
import { load, ROOT } from './serve.ts'

/**
 * `npm run bench:memory`: where the embedded engine's resident memory goes. Each variant runs in
 * a process of its own on the same data directory (made once: initdb and a 200 000-row table with
 * an index): VmRSS before PGlite, after it opened, after a few reads (count, index order, a sort
 * over 200 000 rows, a group by — three times), and VmHWM (the peak). Variants: PGlite's defaults
 * (shared_buffers 128MB), smaller shared buffers, and V8 compiling the WebAssembly with its
 * baseline compiler only (`--liftoff-only`: no optimising tier).
 */
const rss = (field: 'VmRSS' | 'VmHWM') => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024)

async function probe(dir: string, conf: string) {
  const before = rss('VmRSS')
  const p = await PGlite.create({ dataDir: dir, extensions: pgliteExtensions, ...(conf ? { postgresqlconf: conf.split(',') } : {}) })
  const open = rss('VmRSS')
  await p.exec(`create table if not exists t as select i, md5(i::text) as s, repeat('x', 200) as pad from generate_series(1, 200000) i; create index if not exists t_s on t (s)`)
  const t0 = performance.now()
  for (let i = 0; i < 3; i++) await p.exec(`select count(*) from t; select * from t order by s limit 10; select * from t order by pad, s offset 100000 limit 1; select s, count(*) from t group by s order by 2 desc limit 5`)
  const reads_ms = Math.round(performance.now() - t0)
  process.stdout.write(JSON.stringify({ before_mib: before, open_mib: open, after_reads_mib: rss('VmRSS'), peak_mib: rss('VmHWM'), reads_ms }))
  await p.close()
}

const VARIANTS: { name: string; node: string[]; conf: string }[] = [
  { name: 'defaults', node: [], conf: '' },
  { name: 'shared_buffers=32MB', node: [], conf: 'shared_buffers=32MB' },
  { name: '--liftoff-only', node: ['--liftoff-only'], conf: '' },
  { name: '--liftoff-only, shared_buffers=32MB', node: ['--liftoff-only'], conf: 'shared_buffers=32MB' },
]

if (process.argv[2] === 'probe') {
  await probe(process.argv[3]!, process.argv[4] ?? '')
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bench-memory-'))
  const run = (v: (typeof VARIANTS)[number]) =>
    JSON.parse(execFileSync(process.execPath, [...v.node, '--experimental-strip-types', '--disable-warning=ExperimentalWarning', import.meta.filename, 'probe', dir, v.conf], { cwd: ROOT, encoding: 'utf8' }))
  try {
    run(VARIANTS[0]!) // initdb and the table, not measured
    const results = []
    for (const v of VARIANTS) {
      const r = { variant: v.name, ...run(v), load: load() }
      results.push(r)
      process.stderr.write(`${JSON.stringify(r)}\n`)
    }
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'pglite-memory.json'), JSON.stringify({ benchmark: 'pglite-memory', date: new Date().toISOString(), results }, null, 2) + '\n')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
