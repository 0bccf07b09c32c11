/**
 * Network figures (issue 6): server time and size of GET /api/v1/network for networks of 500,
 * 2 000 and 10 000 nodes (organisations and people) with a mean degree of about 4 (edges ≈ 2 ×
 * nodes: affiliations, organisation relationships and hierarchy, alliance members, and
 * co-participation in done activities — half of it through people's affiliations).
 *
 *   npm run bench:network                               embedded database (PGlite, temp dir)
 *   DATABASE_URL=postgres://… npm run bench:network     PostgreSQL: a fresh database
 *                                                        `navet_bench_network`, dropped after
 *
 * The app is built with createApp and driven in-process with app.request() and a bearer token,
 * so the time is the server's (routing, session, validation, queries, measures, JSON) without a
 * network. For each size:
 *   - full, computed: `?cluster=none&layout=none` — every node and edge with degree, betweenness,
 *     community — on a different day each time, so that every request is computed from the database;
 *   - full, repeated: the same request again (served from the view cache while nothing changes);
 *   - default (page): what the page gets — above 1 500 nodes with ForceAtlas2 positions, above
 *     3 000 clustered by community. Its "first" is the cold request: it waits for the layout
 *     (computed in a worker, up to 3 s, else answered without positions: `meta.layout: pending`);
 *   - GraphML, computed: the full view as a GraphML file.
 * Also, once per size, the parts: SQL assembly, measures, ForceAtlas2 alone.
 * Sizes in bytes as sent and gzipped (what a browser downloads with compression).
 *
 * BENCH_SIZES (500,2000,10000), BENCH_ITERATIONS (20), BENCH_WARMUP (2). Figures, not assertions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { CompiledQuery, Kysely } from 'kysely'
import { openBenchDatabase, percentile, round, summary } from './bench-db.ts'
import { createSession } from '../src/auth/sessions.ts'

import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { assembleGraph, DEFAULT_TYPES } from '../src/network/graph.service.ts'
import { forceAtlas2Positions } from '../src/network/layout-fa2.ts'
import { measure } from '../src/network/measures.ts'
import { generateNetwork } from './network-data.ts'
import { createUser } from '../src/users/users.service.ts'
import { inProcessApp } from './bench-server-db.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const ENGINE: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const BENCH_DB = 'navet_bench_network'
const SIZES = (process.env.BENCH_SIZES ?? '500,2000,10000').split(',').map(Number)
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2)
const AT = '2025-06-01'

type Db = Kysely<Database>

const openDatabase = () => openBenchDatabase(BENCH_DB)

interface CaseResult {
  name: string
  path: string
  status: number
  ms: ReturnType<typeof summary>
  first_ms: number
  /** The first response's layout and clustering. */
  first_meta: string
  bytes: number
  gzip_bytes: number
  nodes: number
  edges: number
}

async function main() {
  const load1 = os.loadavg()[0]!
  const started = performance.now()
  const all: Record<string, unknown>[] = []
  for (const size of SIZES) {
    const { db, close } = await openDatabase()
    try {
      await migrateToLatest(db)
      process.stderr.write(`${ENGINE}: generating a network of ${size} nodes…\n`)
      const genStart = performance.now()
      const counts = await generateNetwork(db, size)
      await db.executeQuery(CompiledQuery.raw('vacuum analyze'))
      const generateMs = performance.now() - genStart

      const user = await createUser(db, { email: 'bench@example.se', name: 'Bench Viewer', role: 'viewer', active: true, password: 'bench-password-16' }, { userId: null })
      const token = (await createSession(db, user.id, 'api')).token
      const app = inProcessApp(db, ENGINE)
      const get = (p: string) => app.request(p, { headers: { authorization: `Bearer ${token}` } })

      // The parts, once each.
      const t0 = performance.now()
      const graph = await assembleGraph(db, { at: AT, types: DEFAULT_TYPES })
      const t1 = performance.now()
      const m = measure(graph)
      const t2 = performance.now()
      forceAtlas2Positions(graph)
      const t3 = performance.now()
      const parts = { sql_assembly_ms: round(t1 - t0), measures_ms: round(t2 - t1), betweenness_sampled: m.sampled, forceatlas2_ms: round(t3 - t2) }
      process.stderr.write(`${size}: ${graph.nodes.length} nodes, ${graph.edges.length} edges; ${JSON.stringify(parts)}\n`)

      // A different day per request defeats the view cache: each is computed from the database.
      const day = (i: number) => new Date(Date.parse(`${AT}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)
      const cases = [
        { name: 'full, computed', path: (i: number) => `/api/v1/network?at=${day(i + 1)}&cluster=none&layout=none` },
        { name: 'full, repeated (view cache)', path: () => `/api/v1/network?at=${AT}&cluster=none&layout=none` },
        { name: 'default (page), repeated', path: () => `/api/v1/network?at=${AT}` },
        { name: 'GraphML, computed', path: (i: number) => `/api/v1/network?at=${day(i + 1000)}&format=graphml&layout=none` },
      ]
      const results: CaseResult[] = []
      for (const c of cases) {
        const firstStart = performance.now()
        const first = await get(c.path(-1))
        const body = Buffer.from(await first.arrayBuffer())
        const firstMs = performance.now() - firstStart
        let nodes = 0
        let edges = 0
        let firstMeta = ''
        if (!c.name.startsWith('GraphML')) {
          const json = JSON.parse(body.toString('utf8')) as { nodes: unknown[]; edges: unknown[]; meta: { layout: string; cluster: string | null } }
          nodes = json.nodes.length
          edges = json.edges.length
          firstMeta = `layout ${json.meta.layout}${json.meta.cluster ? `, clustered by ${json.meta.cluster}` : ''}`
        }
        const iterations = size >= 10_000 ? Math.max(5, Math.round(ITERATIONS / 2)) : ITERATIONS
        for (let i = 0; i < WARMUP; i++) await (await get(c.path(500 + i))).arrayBuffer()
        const times: number[] = []
        for (let i = 0; i < iterations; i++) {
          const s = performance.now()
          await (await get(c.path(i))).arrayBuffer()
          times.push(performance.now() - s)
        }
        process.stderr.write(`${size} ${c.name}: ${JSON.stringify(summary(times))}\n`)
        results.push({ name: c.name, path: c.path(0), status: first.status, ms: summary(times), first_ms: round(firstMs), first_meta: firstMeta, bytes: body.length, gzip_bytes: zlib.gzipSync(body).length, nodes, edges })
      }
      all.push({ size, data: { ...counts, nodes: graph.nodes.length, edges: graph.edges.length, generate_s: round(generateMs / 1000) }, parts, results })
    } finally {
      await close()
    }
  }

  const cpus = os.cpus()
  const out = {
    benchmark: 'network',
    engine: ENGINE,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpu_model: cpus[0]?.model ?? 'unknown',
      memory_gib: round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      load_avg_1m_at_start: round(load1, 2),
      load_avg_1m_at_end: round(os.loadavg()[0]!, 2),
    },
    settings: { iterations: ITERATIONS, iterations_at_10000: Math.max(5, Math.round(ITERATIONS / 2)), warmup: WARMUP, at: AT },
    sizes: all,
    total_s: round((performance.now() - started) / 1000),
  }
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `network-${ENGINE}.json`)
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n')

  const kb = (b: number) => `${round(b / 1024)} KiB`
  const lines = [
    `### Network, ${ENGINE} — ${out.date.slice(0, 10)}, ${cpus.length} cores (${out.machine.cpu_model}), Node ${process.version}, load ${out.machine.load_avg_1m_at_start} at start, ${out.machine.load_avg_1m_at_end} at end`,
    '',
    '| nodes | edges | request | first ms | p50 ms | p95 ms | shown nodes / edges | size | gzip | first answer |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const s of all as { size: number; data: { nodes: number; edges: number }; results: CaseResult[] }[]) {
    for (const r of s.results) {
      lines.push(`| ${s.data.nodes} | ${s.data.edges} | ${r.name} | ${r.first_ms} | ${r.ms.p50} | ${r.ms.p95} | ${r.nodes ? `${r.nodes} / ${r.edges}` : '–'} | ${kb(r.bytes)} | ${kb(r.gzip_bytes)} | ${r.first_meta || '–'} |`)
    }
  }
  lines.push('', '| nodes | SQL assembly ms | measures ms | betweenness | ForceAtlas2 ms |', '| --- | --- | --- | --- | --- |')
  for (const s of all as { data: { nodes: number }; parts: typeof all[number] & { sql_assembly_ms: number; measures_ms: number; betweenness_sampled: boolean; forceatlas2_ms: number } }[]) {
    lines.push(`| ${s.data.nodes} | ${s.parts.sql_assembly_ms} | ${s.parts.measures_ms} | ${s.parts.betweenness_sampled ? 'sampled' : 'exact'} | ${s.parts.forceatlas2_ms} |`)
  }
  lines.push('', `Written to ${path.relative(ROOT, file)}.`)
  console.log(lines.join('\n'))
}

await main()
