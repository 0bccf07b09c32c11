import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { edgesValidOn, type Edge } from '../../src/network/edges-at.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json() as Promise<{ id: string; [k: string]: unknown }>
}
const organisation = (name: string, extra: Record<string, unknown> = {}) => create('/api/v1/organisations', { name, kind: 'authority', ...extra })
const contact = (first_name: string, last_name: string, extra: Record<string, unknown> = {}) => create('/api/v1/contacts', { first_name, last_name, ...extra })

/** An alliance with members, written straight to its tables (the alliances feature has its own tests). */
async function alliance(start: string | null, end: string | null, members: { organisation_id: string; start_date?: string; end_date?: string }[]) {
  const row = await t.db
    .insertInto('alliances')
    .values({ name: 'Allians för mottagande', sort_name: 'allians for mottagande', start_date: start, end_date: end })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const m of members) await t.db.insertInto('alliance_members').values({ alliance_id: row.id, role: 'partner', ...m }).execute()
  return row.id
}

const key = (e: Edge) => `${e.type} ${e.source.type}:${e.source.id} → ${e.target.type}:${e.target.id}`
/** The edges valid on `day` that touch one of `ids`, as readable keys. */
async function edgesOn(day: string, ids: string[]): Promise<string[]> {
  const edges = await edgesValidOn(t.db, day)
  return edges.filter((e) => ids.includes(e.source.id) || ids.includes(e.target.id)).map(key).sort()
}

describe('edges valid on a day', () => {
  it('includes each kind of edge from its start day to its end day, both included, and none the day before or after', async () => {
    const period = { start_date: '2005-01-01', end_date: '2005-12-31' }
    const [o, p] = [await organisation('Länsstyrelsen i Jönköpings län'), await organisation('Jönköpings kommun')]
    const child = await organisation('Jönköpings kommun, socialtjänsten', { parent_id: p.id })
    const a = await contact('Alva', 'Ask', { affiliations: [{ organisation_id: o.id, ...period }] })
    const body = await create('/api/v1/bodies', { name: 'Styrgruppen', kind: 'steering_group', seats: [{ contact_id: a.id, organisation_id: o.id, role: 'chair', ...period }] })
    const r = await create('/api/v1/organisation-relationships', { from_organisation_id: o.id, to_organisation_id: p.id, type: 'funds', ...period })
    const l = await alliance('2005-01-01', '2005-12-31', [{ organisation_id: o.id }])
    const ids = [o.id, p.id, child.id, a.id, body.id, l]
    const all = [
      `affiliation contact:${a.id} → organisation:${o.id}`,
      `alliance_member organisation:${o.id} → alliance:${l}`,
      `body_representation organisation:${o.id} → body:${body.id}`,
      `body_seat contact:${a.id} → body:${body.id}`,
      `funds organisation:${o.id} → organisation:${p.id}`,
      `parent organisation:${child.id} → organisation:${p.id}`,
    ].sort()
    const parentOnly = [`parent organisation:${child.id} → organisation:${p.id}`]
    expect(await edgesOn('2004-12-31', ids)).toEqual(parentOnly)
    expect(await edgesOn('2005-01-01', ids)).toEqual(all)
    expect(await edgesOn('2005-12-31', ids)).toEqual(all)
    expect(await edgesOn('2006-01-01', ids)).toEqual(parentOnly)

    const edges = await edgesValidOn(t.db, '2005-06-15')
    expect(edges.find((e) => e.type === 'funds' && e.source.id === o.id)).toEqual({
      type: 'funds', source: { type: 'organisation', id: o.id }, target: { type: 'organisation', id: p.id },
      start_date: '2005-01-01', end_date: '2005-12-31', via: { table: 'organisation_relationships', id: r.id },
    })
    expect(edges.find((e) => e.type === 'parent' && e.source.id === child.id)).toMatchObject({ start_date: null, end_date: null })
  })

  it('keeps an edge with an open start or end valid for ever on that side', async () => {
    const [o, p] = [await organisation('Migrationsverket'), await organisation('Integrationsverket')]
    const a = await contact('Bengt', 'Blom', { affiliations: [{ organisation_id: o.id }] })
    const body = await create('/api/v1/bodies', { name: 'Nätverket', kind: 'network', seats: [{ contact_id: a.id, start_date: '2003-03-01' }] })
    await create('/api/v1/organisation-relationships', { from_organisation_id: p.id, to_organisation_id: o.id, type: 'reports_to', end_date: '2003-02-28' })
    const ids = [o.id, p.id, a.id, body.id]
    const affiliation = `affiliation contact:${a.id} → organisation:${o.id}`
    const seat = `body_seat contact:${a.id} → body:${body.id}`
    const reports = `reports_to organisation:${p.id} → organisation:${o.id}`
    expect(await edgesOn('1900-01-01', ids)).toEqual([affiliation, reports])
    expect(await edgesOn('2003-02-28', ids)).toEqual([affiliation, reports])
    expect(await edgesOn('2003-03-01', ids)).toEqual([affiliation, seat])
    expect(await edgesOn('2999-12-31', ids)).toEqual([affiliation, seat])
  })

  it('takes an alliance member’s own dates where set, the alliance’s otherwise', async () => {
    const [early, late, leaving] = [await organisation('Röda korset'), await organisation('Rädda Barnen'), await organisation('Caritas')]
    const l = await alliance('2004-01-01', '2006-12-31', [
      { organisation_id: early.id },
      { organisation_id: late.id, start_date: '2005-06-01' },
      { organisation_id: leaving.id, end_date: '2004-06-30' },
    ])
    const members = async (day: string) => (await edgesValidOn(t.db, day)).filter((e) => e.target.id === l).map((e) => e.source.id).sort()
    expect(await members('2003-12-31')).toEqual([])
    expect(await members('2004-01-01')).toEqual([early.id, leaving.id].sort())
    expect(await members('2004-07-01')).toEqual([early.id])
    expect(await members('2005-06-01')).toEqual([early.id, late.id].sort())
    expect(await members('2006-12-31')).toEqual([early.id, late.id].sort())
    expect(await members('2007-01-01')).toEqual([])
    const edge = (await edgesValidOn(t.db, '2005-06-01')).find((e) => e.source.id === late.id)
    expect(edge).toMatchObject({ type: 'alliance_member', start_date: '2005-06-01', end_date: '2006-12-31' })
  })

  it('leaves out deleted records and every edge that touches one', async () => {
    const [o, p, q] = [await organisation('Malmö stad'), await organisation('Malmö högskola'), await organisation('Lunds universitet')]
    const child = await organisation('Malmö stad, stadskontoret', { parent_id: o.id })
    const a = await contact('Cecilia', 'Cronholm', { affiliations: [{ organisation_id: o.id }] })
    const b = await contact('David', 'Dufva', { affiliations: [{ organisation_id: q.id }] })
    const body = await create('/api/v1/bodies', { name: 'Referensgruppen', kind: 'reference_group', seats: [{ contact_id: b.id, organisation_id: p.id }] })
    const r = await create('/api/v1/organisation-relationships', { from_organisation_id: o.id, to_organisation_id: q.id, type: 'partner_of' })
    const l = await alliance(null, null, [{ organisation_id: q.id }])
    const ids = [o.id, p.id, q.id, child.id, a.id, b.id, body.id, l]
    expect(await edgesOn('2010-01-01', ids)).toEqual([
      `affiliation contact:${a.id} → organisation:${o.id}`,
      `affiliation contact:${b.id} → organisation:${q.id}`,
      `alliance_member organisation:${q.id} → alliance:${l}`,
      `body_representation organisation:${p.id} → body:${body.id}`,
      `body_seat contact:${b.id} → body:${body.id}`,
      `parent organisation:${child.id} → organisation:${o.id}`,
      `partner_of organisation:${o.id} → organisation:${q.id}`,
    ].sort())

    await api('DELETE', `/api/v1/contacts/${a.id}`)
    await api('DELETE', `/api/v1/organisation-relationships/${r.id}`)
    await api('DELETE', `/api/v1/organisations/${p.id}`)
    expect(await edgesOn('2010-01-01', ids)).toEqual([
      `affiliation contact:${b.id} → organisation:${q.id}`,
      `alliance_member organisation:${q.id} → alliance:${l}`,
      `body_seat contact:${b.id} → body:${body.id}`,
      `parent organisation:${child.id} → organisation:${o.id}`,
    ].sort())

    await api('DELETE', `/api/v1/bodies/${body.id}`)
    await api('DELETE', `/api/v1/organisations/${o.id}`)
    await t.db.updateTable('alliances').set({ deleted_at: new Date() }).where('id', '=', l).execute()
    expect(await edgesOn('2010-01-01', ids)).toEqual([`affiliation contact:${b.id} → organisation:${q.id}`])
  })

  it('answers only the sources asked for, and refuses a day that is not YYYY-MM-DD', async () => {
    const o = await organisation('Arbetsförmedlingen')
    const a = await contact('Ebba', 'Eng', { affiliations: [{ organisation_id: o.id }] })
    const only = await edgesValidOn(t.db, '2010-01-01', { sources: ['affiliations'] })
    expect(only.every((e) => e.type === 'affiliation')).toBe(true)
    expect(only.map((e) => e.source.id)).toContain(a.id)
    await expect(edgesValidOn(t.db, '2010-13-01')).rejects.toThrow()
    await expect(edgesValidOn(t.db, '1 jan 2010')).rejects.toThrow()
  })
})
