/**
 * The ego network of an organisation, cold (the first reader after a change) and warm, in process:
 * how long selecting, measuring and the whole view take, and how big the view is. `DATABASE_URL`
 * (a database made by `npm run bench:generate`) or `BENCH_DATA_DIR` (PGlite). `BENCH_DEPTHS` (1,2).
 */
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { connect } from '../src/db/connect.ts'
import { networkQuery } from '../src/network/network.schema.ts'
import { networkView, selectView } from '../src/network/view.ts'

const handle = await connect({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR ?? '' })
const db = handle.db
const depths = (process.env.BENCH_DEPTHS ?? '1,2').split(',').map(Number)
const org = (await sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id group by o.id order by count(*) desc, o.id limit 1`.execute(db)).rows[0]!
const contact = (await sql<{ id: string }>`select contact_id as id from affiliations where organisation_id = ${org.id} order by contact_id limit 1`.execute(db)).rows[0]!
const out: Record<string, unknown>[] = []
for (const [name, focus] of [['organisation', org.id], ['contact', contact.id]] as const) {
  for (const depth of depths) {
    const q = networkQuery.parse({ focus, depth: String(depth) })
    let t = performance.now()
    const sel = await selectView(db, q)
    const selectMs = performance.now() - t
    // A change to the register makes the next view cold.
    await sql`update organisations set updated_at = updated_at where id = ${org.id}`.execute(db)
    t = performance.now()
    const cold = await networkView(db, { ...q, cluster: 'auto' }, { layoutWaitMs: 0 })
    const coldMs = performance.now() - t
    t = performance.now()
    await networkView(db, { ...q, cluster: 'auto' }, { layoutWaitMs: 0 })
    const warmMs = performance.now() - t
    const row = { focus: name, depth, nodes: cold.meta.node_count, edges: cold.meta.edge_count, graph_nodes: sel.graph.nodes.length, select_ms: Math.round(selectMs), cold_ms: Math.round(coldMs), warm_ms: Math.round(warmMs * 10) / 10, layout: cold.meta.layout, rss_mib: Math.round(process.memoryUsage().rss / 2 ** 20) }
    out.push(row)
    console.log(JSON.stringify(row))
  }
}
await handle.close()
