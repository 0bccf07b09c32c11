import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleGraph, DEFAULT_TYPES, NODE_TYPES, type Graph } from '../../src/network/graph.service.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { recordStatements } from '../helpers/statements.ts'

// The whole graph is read in parts, each kept until a table it reads is written
// (src/network/graph.service.ts part, 20261207T0200_table_versions): after an organisation's
// rename the register's links were read again, 11 s of the server's CPU at 200 000 contacts.
// Here every table and column a part reads is written, one after the other, straight in the
// table as an import or another instance would; after each write the graph must be the one read
// afresh (inside a caller's transaction, where nothing is kept). A part that forgot a table it
// reads shows the register as it was before that write.
let t: TestApp
let watched: ReturnType<typeof recordStatements>
const ids: Record<string, string> = {}
const at = '2024-12-31'
const types = NODE_TYPES
const fresh = async () => normalized(await t.db.transaction().execute((tx) => assembleGraph(tx, { at, types })))
const kept = async () => normalized(await assembleGraph(watched.db, { at, types }))

let headers: Record<string, string>
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, headers))
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { id: string }).id
}

beforeAll(async () => {
  t = await testApp()
  watched = recordStatements(t.db)
  headers = (await t.apiToken('editor')).headers
  ids.theme = await create('/api/v1/themes', { name: 'Mottagande' })
  ids.kalmar = await create('/api/v1/organisations', { name: 'Kalmar kommun', kind: 'municipality', county: 'Kalmar län', theme_ids: [ids.theme] })
  ids.lst = await create('/api/v1/organisations', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board', county: 'Kalmar län' })
  ids.region = await create('/api/v1/organisations', { name: 'Region Kalmar län', kind: 'region' })
  ids.person = await create('/api/v1/contacts', { first_name: 'Tove', last_name: 'Delsson', affiliations: [{ organisation_id: ids.region, start_date: '2020-01-01' }] })
  ids.other = await create('/api/v1/contacts', { first_name: 'Pelle', last_name: 'Delsson', affiliations: [{ organisation_id: ids.kalmar }] })
  ids.body = await create('/api/v1/bodies', { name: 'Regional samverkansgrupp', kind: 'working_group', seats: [{ contact_id: ids.other, organisation_id: ids.kalmar }] })
  ids.alliance = await create('/api/v1/alliances', { name: 'Kalmarallians', status: 'active', members: [{ organisation_id: ids.kalmar, role: 'lead' }, { organisation_id: ids.lst, role: 'partner' }] })
  ids.project = await create('/api/v1/projects', { name: 'Etablering i Kalmar', lead_organisation_id: ids.kalmar, partners: [{ organisation_id: ids.lst }] })
  ids.rel = await create('/api/v1/organisation-relationships', { from_organisation_id: ids.lst, to_organisation_id: ids.kalmar, type: 'partner_of' })
  ids.meeting = await create('/api/v1/activities', {
    title: 'Länsträff', status: 'done', start_date: '2024-03-01',
    participants: [{ organisation_id: ids.lst, attendance: 'attended' }, { contact_id: ids.person, attendance: 'attended' }, { organisation_id: ids.kalmar, attendance: 'attended' }],
  })
})
afterAll(() => t.close())

/**
 * A graph as a set: its nodes and edges by id (a source's links come in no set order), each edge
 * with the ids of the nodes its `ends` point at, which must be its own ends.
 */
function normalized(g: Graph) {
  const edges = g.edges.map((e, k) => {
    expect([g.nodes[g.ends![2 * k]!]!.id, g.nodes[g.ends![2 * k + 1]!]!.id]).toEqual([e.source, e.target])
    return e
  })
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)
  return { at: g.at, version: g.version, nodes: [...g.nodes].sort(byId), edges: edges.sort(byId) }
}

const coEdges = (g: Pick<Graph, 'edges'>) => g.edges.filter((e) => e.type === 'co_participation').map((e) => `${e.source}-${e.target}:${e.weight}`).sort()

/** Every statement the kept graph ran for `read`. */
async function statementsOf<G>(read: () => Promise<G>): Promise<{ graph: G; ran: string[] }> {
  const from = watched.ran.length
  const graph = await read()
  return { graph, ran: watched.ran.slice(from) }
}

describe('the whole graph read in parts', () => {
  it('reads again only the parts of what was written, and is the graph read afresh', async () => {
    expect(await kept()).toEqual(await fresh())
    const again = await statementsOf(kept)
    // Nothing written: only the versions are read.
    expect(again.ran).toHaveLength(1)

    await sql`update organisations set name = 'Kalmar kommun (KK)' where id = ${ids.kalmar}`.execute(t.db)
    const renamed = await statementsOf(kept)
    expect(renamed.graph).toEqual(await fresh())
    expect(renamed.graph.nodes.find((n) => n.id === ids.kalmar)!.label).toBe('Kalmar kommun (KK)')
    // The organisations and the people (whose county may be an organisation's), not one link.
    expect(renamed.ran.filter((s) => /\bfrom organisations o where o.deleted_at is null\b/.test(s))).toHaveLength(1)
    expect(renamed.ran.some((s) => s.includes('from contacts c'))).toBe(true)
    expect(renamed.ran.filter((s) => s.includes('live_part') || /from affiliations a\s+join/.test(s) || s.includes('from alliance_members m'))).toEqual([])

    // The page's types (theme links are made from the nodes each time).
    const before = await assembleGraph(watched.db, { at, types: DEFAULT_TYPES })
    await sql`update contacts set title = 'Utredare' where id = ${ids.person}`.execute(t.db)
    const edited = await statementsOf(kept)
    expect(edited.graph).toEqual(await fresh())
    expect(edited.ran.filter((s) => s.includes('live_part') || /from affiliations a\s+join/.test(s))).toEqual([])
    // The same links between the same nodes in the same order: their ends are not looked up again.
    const after = await assembleGraph(watched.db, { at, types: DEFAULT_TYPES })
    expect(after.version).not.toBe(before.version)
    expect(after.ends).toBe(before.ends)
    expect(after.edges).toBe(before.edges)
    // A phone number is nothing the graph reads: its version stays (src/db/data-version.ts NAMED).
    await sql`update contacts set phone = '070-000 00 00' where id = ${ids.person}`.execute(t.db)
    expect((await assembleGraph(watched.db, { at, types: DEFAULT_TYPES })).version).toBe(after.version)
    // Nor are a person's, an organisation's or an activity's details: no part is read again, though
    // a view of the whole graph may be computed for another reason (a layout, another day's view).
    await statementsOf(kept)
    await sql`update contacts set phone = '070-111 11 11', notes = 'Ringer gärna' where id = ${ids.person}`.execute(t.db)
    await sql`update organisations set website = 'https://www.kalmar.se', notes = 'Kommun' where id = ${ids.kalmar}`.execute(t.db)
    await sql`update activities set title = 'Länsträff i Kalmar', outcome = 'Bra' where id = ${ids.meeting}`.execute(t.db)
    const details = await statementsOf(kept)
    expect(details.ran).toHaveLength(1)
    expect(details.graph).toEqual(await fresh())
  })

  it('no longer counts an activity through a person who was deleted', async () => {
    const pair = [ids.lst, ids.region].sort().join('-')
    expect(coEdges(await kept())).toContain(`${pair}:1`)
    await sql`update contacts set deleted_at = now() where id = ${ids.person}`.execute(t.db)
    const after = await kept()
    expect(after).toEqual(await fresh())
    expect(coEdges(after).some((e) => e.startsWith(pair))).toBe(false)
  })

  // Each write changes what a part reads; after it the kept graph must be the one read afresh.
  const writes: [string, () => string][] = [
    ['the person restored', () => `update contacts set deleted_at = null where id = '${ids.person}'`],
    // Counted apart (contacts:names), and followed by the people's part as the graph's version is.
    ["a person's name", () => `update contacts set first_name = 'Tova' where id = '${ids.person}'`],
    ["a person's own county", () => `update contacts set county = 'Gotlands län' where id = '${ids.other}'`],
    ["an organisation's county (its people's)", () => `update organisations set county = 'Skåne län' where id = '${ids.kalmar}'`],
    ["an organisation's parent", () => `update organisations set parent_id = '${ids.region}' where id = '${ids.kalmar}'`],
    ['an affiliation ended', () => `update affiliations set end_date = '2023-12-31' where contact_id = '${ids.person}'`],
    ['an attendance', () => `update activity_participants set attendance = 'no_show' where organisation_id = '${ids.kalmar}'`],
    ['an activity planned', () => `update activities set status = 'planned' where id = '${ids.meeting}'`],
    ['the activity done again', () => `update activities set status = 'done' where id = '${ids.meeting}'`],
    ['a seat ended', () => `update body_seats set end_date = '2023-01-01' where body_id = '${ids.body}'`],
    ['a body renamed', () => `update bodies set name = 'Samverkansgruppen' where id = '${ids.body}'`],
    ['an alliance member left', () => `update alliance_members set end_date = '2023-01-01' where organisation_id = '${ids.lst}'`],
    ['an alliance ended', () => `update alliances set end_date = '2023-06-30' where id = '${ids.alliance}'`],
    ['a project partner gone', () => `delete from project_partners where project_id = '${ids.project}'`],
    ["a project's lead", () => `update projects set lead_organisation_id = '${ids.region}' where id = '${ids.project}'`],
    ['a relationship deleted', () => `update organisation_relationships set deleted_at = now() where id = '${ids.rel}'`],
    ['a theme renamed', () => `update themes set name = 'Etablering' where id = '${ids.theme}'`],
    ['an organisation deleted (every link at it)', () => `update organisations set deleted_at = now() where id = '${ids.lst}'`],
    [
      'a person gone for good, with their links',
      () => `with a as (delete from affiliations where contact_id = '${ids.other}'), s as (delete from body_seats where contact_id = '${ids.other}')
        delete from contacts where id = '${ids.other}'`,
    ],
  ]
  // Found in review: an organisation's parent counted only when it was changed, not when it was set as the organisation was created.
  it('after an organisation created with a parent', async () => {
    await kept()
    const child = await create('/api/v1/organisations', { name: 'Kalmar kommuns fastighetsbolag', kind: 'municipality', parent_id: ids.region })
    const after = await kept()
    expect(after).toEqual(await fresh())
    expect(after.edges.filter((e) => e.type === 'parent' && e.source === child).map((e) => e.target)).toEqual([ids.region])
  })

  it.each(writes)('after %s', async (_, statement) => {
    const before = await kept()
    await sql.raw(statement()).execute(t.db)
    const after = await kept()
    expect(after).toEqual(await fresh())
    expect(after).not.toEqual(before)
  })
})
