import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister } from '../../bench/register-data.ts'
import { searchOrganisations } from '../../src/search/sources.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)]

// The embedded engine's pages come from the machine's own files (src/db/connect.ts,
// PGLITE_SETTINGS): its planner must not read a whole table where an index finds the few rows.
describe.runIf(ENGINE === 'pglite')('the embedded engine’s planner', () => {
  let handle: Awaited<ReturnType<typeof testDb>>

  beforeAll(async () => {
    handle = await testDb()
    await generateRegister(handle.db, { organisations: 7_500, contacts: 100 })
    await sql`analyze organisations`.execute(handle.db)
  }, 120_000)
  afterAll(() => handle?.close())

  it('finds the organisations of a place name through the trigram index, not by reading them all', async () => {
    const query = searchOrganisations(handle.db, 'jonkoping', 21).compile()
    const found = await handle.db.executeQuery(query)
    // A place a few in a hundred organisations are in: a read of every row is the slow plan.
    expect(found.rows.length).toBe(21)
    const { rows } = await handle.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
    )
    const plan = nodes(rows[0]!['QUERY PLAN'][0].Plan)
    expect(plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).not.toContain('organisations')
    expect(plan.map((n) => n['Index Name'])).toContain('organisations_search')
  })
})
