/**
 * `npm run bench:graph-memory -- --data-dir DIR`: what reading the whole register's graph leaves in
 * the embedded engine's memory. PGlite's WebAssembly memory grows to hold the largest value a
 * statement builds and is never given back, so the graph's packed reads (src/db/packed.ts) set a
 * floor under the server's memory for the rest of its life. Opens PGlite on DIR (made by
 * `npm run bench:generate -- --scale S --data-dir DIR`; read only), then prints the WebAssembly
 * memory and VmRSS after opening, after one small query, and after the whole graph is read twice
 * (as the network's whole view reads it: its default node types, in turns), with the time of each read.
 * To compare with a commit before a change, run the same script in a worktree of that commit.
 */
import { kyselyOverPglite, openPglite } from '../src/db/connect.ts'
import { assembleGraph, DEFAULT_TYPES } from '../src/network/graph.service.ts'
import { load, rssMiB } from './serve.ts'

const at = process.argv.indexOf('--data-dir')
if (at < 0) throw new Error('usage: npm run bench:graph-memory -- --data-dir DIR')
const pglite = await openPglite({ dataDir: process.argv[at + 1]! })
const db = kyselyOverPglite(pglite)
// PGlite's Emscripten module: its heap is the WebAssembly memory.
const wasmMiB = () => Math.round((pglite as unknown as { mod: { HEAPU8: Uint8Array } }).mod.HEAPU8.length / 1048576)
const figures: Record<string, unknown>[] = []
const note = (step: string, extra: Record<string, unknown> = {}) => {
  const f = { step, wasm_mib: wasmMiB(), rss_mib: rssMiB(process.pid), ...extra }
  figures.push(f)
  console.log(JSON.stringify(f))
}
note('opened')
await db.selectFrom('contacts').select('id').limit(1).execute()
note('one small query')
const day = new Date().toISOString().slice(0, 10)
for (const step of ['whole graph read', 'whole graph read again']) {
  const t = performance.now()
  const graph = await assembleGraph(db, { types: DEFAULT_TYPES, at: day, inTurns: true })
  note(step, { ms: Math.round(performance.now() - t), nodes: graph.nodes.length, edges: graph.edges.length })
}
console.log(JSON.stringify({ load: load() }))
await db.destroy()
if (!pglite.closed) await pglite.close()
