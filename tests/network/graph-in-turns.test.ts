import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleGraph } from '../../src/network/graph.service.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'

// On the embedded engine a transaction holds the one connection to its end: the whole register's
// graph, read in one snapshot, kept every other request waiting for about a second at 50 000
// contacts. There it is read query by query (AssembleOptions.inTurns).
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  const editor = await t.apiToken('editor')
  const post = async (path: string, body: Record<string, unknown>) => (await (await t.request(path, jsonRequest('POST', body, editor.headers))).json()).id as string
  const orgs = [await post('/api/v1/organisations', { name: 'Turkommun', kind: 'municipality' }), await post('/api/v1/organisations', { name: 'Turregionen', kind: 'region' })]
  await post('/api/v1/organisation-relationships', { from_organisation_id: orgs[0], to_organisation_id: orgs[1], type: 'partner_of' })
  await post('/api/v1/contacts', { first_name: 'Tove', last_name: 'Tursson', affiliations: [{ organisation_id: orgs[0] }] })
})
afterAll(() => t.close())

const types = ['organisation', 'contact', 'alliance', 'body', 'project', 'theme'] as const
const today = new Date().toISOString().slice(0, 10)

describe('the graph read in turns', () => {
  it('is the graph read in one snapshot', async () => {
    const inTurns = await assembleGraph(t.db, { at: today, types, inTurns: true })
    // Read afresh in a caller's transaction, where no part of the graph read before is kept.
    const snapshot = await t.db.transaction().execute((tx) => assembleGraph(tx, { at: today, types }))
    expect(inTurns).toEqual(snapshot)
    expect(inTurns.edges.map((e) => e.type).sort()).toEqual(['affiliation', 'partner_of'])
  })

  // On PostgreSQL the pool answers others meanwhile anyway (and the app reads the graph in one snapshot there).
  it.runIf(ENGINE === 'pglite')('lets another statement run between its queries rather than after them all', async () => {
    let graphRead = 0
    // Another day than above: its parts are read, not those kept.
    const reading = assembleGraph(t.db, { at: '2020-01-01', types, inTurns: true }).then(() => (graphRead = performance.now()))
    await sql`select count(*) from contacts`.execute(t.db)
    const otherAnswered = performance.now()
    await reading
    expect(otherAnswered).toBeLessThan(graphRead)
  })
})
