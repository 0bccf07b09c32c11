import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
})
afterAll(() => t.close())

interface Node { id: string; type: string; label: string; degree: number; betweenness: number; community: number; match?: boolean; plan?: string; [k: string]: unknown }
interface Edge { id: string; source: string; target: string; type: string; weight: number; activity_ids?: string[]; change?: string; match?: boolean; [k: string]: unknown }
interface View { nodes: Node[]; edges: Edge[]; meta: Record<string, unknown>; measures: Record<string, unknown> }

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json() as Promise<{ id: string; version: number; [k: string]: unknown }>
}
const organisation = (name: string, extra: Record<string, unknown> = {}) => create('/api/v1/organisations', { name, kind: 'municipality', ...extra })
const contact = (first_name: string, last_name: string, extra: Record<string, unknown> = {}) => create('/api/v1/contacts', { first_name, last_name, ...extra })
const relate = (from: string, to: string, extra: Record<string, unknown> = {}) =>
  create('/api/v1/organisation-relationships', { from_organisation_id: from, to_organisation_id: to, type: 'partner_of', ...extra })

async function view(query: string): Promise<View> {
  const res = await api('GET', `/api/v1/network?${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json() as Promise<View>
}
const ids = (v: { nodes: { id: string }[] }) => v.nodes.map((n) => n.id).sort()
const edgeIds = (v: { edges: { id: string }[] }) => v.edges.map((e) => e.id).sort()

describe('graph assembly from the register', () => {
  it('draws every kind of edge between the records it comes from, with stable ids', async () => {
    const theme = await create('/api/v1/themes', { name: 'Mottagande av nyanlända' })
    const kalmar = await organisation('Kalmar kommun', { county: 'Kalmar län', theme_ids: [theme.id] })
    const lst = await organisation('Länsstyrelsen i Kalmar län', { kind: 'county_board', county: 'Kalmar län' })
    const unit = await organisation('Länsstyrelsen i Kalmar län, integrationsenheten', { kind: 'county_board', parent_id: lst.id })
    const person = await contact('Saga', 'Sjöberg', { affiliations: [{ organisation_id: kalmar.id, role: 'samordnare' }] })
    const body = await create('/api/v1/bodies', { name: 'Regional samverkansgrupp', kind: 'working_group', seats: [{ contact_id: person.id, organisation_id: kalmar.id }] })
    const funds = await relate(lst.id, kalmar.id, { type: 'funds' })
    const alliance = await create('/api/v1/alliances', { name: 'Kalmarallians för etablering', status: 'active', members: [{ organisation_id: kalmar.id, role: 'lead' }] })
    const project = await create('/api/v1/projects', { name: 'Etablering i Kalmar', lead_organisation_id: kalmar.id, partners: [{ organisation_id: lst.id }] })
    // Two done activities with both organisations (once through Saga), one planned, one where Kalmar did not show up.
    const a1 = await create('/api/v1/activities', { title: 'Länsträff', status: 'done', start_date: '2024-03-01', participants: [{ organisation_id: lst.id, attendance: 'attended' }, { contact_id: person.id, attendance: 'attended' }] })
    const a2 = await create('/api/v1/activities', { title: 'Seminarium om etablering', status: 'done', start_date: '2024-05-01', participants: [{ organisation_id: lst.id, attendance: 'attended' }, { organisation_id: kalmar.id, attendance: 'received' }] })
    await create('/api/v1/activities', { title: 'Planerad workshop', status: 'planned', start_date: '2024-06-01', participants: [{ organisation_id: lst.id, attendance: 'registered' }, { organisation_id: kalmar.id, attendance: 'registered' }] })
    await create('/api/v1/activities', { title: 'Konferens', status: 'done', start_date: '2024-06-10', participants: [{ organisation_id: lst.id, attendance: 'attended' }, { organisation_id: kalmar.id, attendance: 'no_show' }] })

    const v = await view(`types=organisation,contact,alliance,project,body,theme&focus=${kalmar.id}&depth=2&at=2024-12-31`)
    const [lo, hi] = [kalmar.id, lst.id].sort()
    const byId = new Map(v.edges.map((e) => [e.id, e]))
    const affiliationId = (await (await api('GET', `/api/v1/contacts/${person.id}`)).json()).affiliations[0].id
    const seatId = (await (await api('GET', `/api/v1/bodies/${body.id}`)).json()).seats[0].id
    const memberId = (await (await api('GET', `/api/v1/alliances/${alliance.id}`)).json()).members[0].id

    expect(byId.get(`aff:${affiliationId}`)).toMatchObject({ type: 'affiliation', source: person.id, target: kalmar.id, weight: 1 })
    expect(byId.get(`seat:${seatId}`)).toMatchObject({ type: 'body_seat', source: person.id, target: body.id })
    expect(byId.get(`rep:${seatId}`)).toMatchObject({ type: 'body_representation', source: kalmar.id, target: body.id })
    expect(byId.get(`rel:${funds.id}`)).toMatchObject({ type: 'funds', source: lst.id, target: kalmar.id })
    expect(byId.get(`parent:${unit.id}`)).toMatchObject({ type: 'parent', source: unit.id, target: lst.id })
    expect(byId.get(`am:${memberId}`)).toMatchObject({ type: 'alliance_member', source: kalmar.id, target: alliance.id })
    expect(byId.get(`pp:${project.id}:${kalmar.id}`)).toMatchObject({ type: 'project_partner', source: kalmar.id, target: project.id, lead: true })
    expect(byId.get(`pp:${project.id}:${lst.id}`)).toMatchObject({ type: 'project_partner', lead: false })
    expect(byId.get(`co:${lo}:${hi}`)).toMatchObject({ type: 'co_participation', source: lo, target: hi, weight: 2, activity_ids: [a1.id, a2.id].sort() })
    expect(byId.get(`th:${kalmar.id}:${theme.id}`)).toMatchObject({ type: 'theme', source: kalmar.id, target: theme.id })

    const nodes = new Map(v.nodes.map((n) => [n.id, n]))
    expect(nodes.get(kalmar.id)).toMatchObject({ type: 'organisation', label: 'Kalmar kommun', kind: 'municipality', county: 'Kalmar län' })
    expect(nodes.get(person.id)).toMatchObject({ type: 'contact', label: 'Saga Sjöberg', county: 'Kalmar län' })
    expect(nodes.get(theme.id)).toMatchObject({ type: 'theme', label: 'Mottagande av nyanlända' })

    // Without theme nodes there are no theme edges; without contacts no affiliation or seat edges.
    const orgsOnly = await view(`types=organisation&focus=${kalmar.id}&depth=2&at=2024-12-31`)
    expect(new Set(orgsOnly.edges.map((e) => e.type))).toEqual(new Set(['funds', 'parent', 'co_participation']))
    expect(orgsOnly.nodes.every((n) => n.type === 'organisation')).toBe(true)
  })

  it('shows the network as it stood on the day: only relationships valid then, co-participation counted up to then', async () => {
    const a = await organisation('Nybro kommun')
    const b = await organisation('Emmaboda kommun')
    const p = await contact('Tove', 'Tallberg', { affiliations: [{ organisation_id: a.id, start_date: '2020-01-01', end_date: '2020-12-31' }] })
    await relate(a.id, b.id, { start_date: '2021-01-01' })
    await create('/api/v1/activities', { title: 'Nätverksmöte', status: 'done', start_date: '2022-04-01', participants: [{ organisation_id: a.id, attendance: 'attended' }, { organisation_id: b.id, attendance: 'attended' }] })

    const types = 'types=organisation,contact'
    const on = async (at: string) => (await view(`${types}&focus=${a.id}&depth=1&at=${at}`)).edges.map((e) => e.type).sort()
    expect(await on('2019-12-31')).toEqual([])
    expect(await on('2020-01-01')).toEqual(['affiliation'])
    expect(await on('2020-12-31')).toEqual(['affiliation'])
    expect(await on('2021-01-01')).toEqual(['partner_of'])
    expect(await on('2022-03-31')).toEqual(['partner_of'])
    expect(await on('2022-04-01')).toEqual(['co_participation', 'partner_of'])
    expect((await view(`${types}&focus=${p.id}&at=2021-06-01`)).nodes.map((n) => n.id)).toEqual([p.id])
  })

  it('leaves out deleted records and every edge that touches one', async () => {
    const a = await organisation('Torsås kommun')
    const b = await organisation('Mörbylånga kommun')
    const rel = await relate(a.id, b.id)
    expect(ids(await view(`types=organisation&focus=${a.id}`))).toEqual([a.id, b.id].sort())
    expect((await api('DELETE', `/api/v1/organisations/${b.id}`)).status).toBe(204)
    const v = await view(`types=organisation&focus=${a.id}`)
    expect(ids(v)).toEqual([a.id])
    expect(edgeIds(v)).not.toContain(`rel:${rel.id}`)
  })
})

describe('ego network', () => {
  it('takes the nodes within 1, 2 or 3 steps of the focus, and answers 404 for a focus not in the view', async () => {
    const chain = []
    for (const name of ['Ljungby kommun', 'Markaryds kommun', 'Älmhults kommun', 'Osby kommun', 'Östra Göinge kommun']) chain.push(await organisation(name))
    for (let i = 0; i + 1 < chain.length; i++) await relate(chain[i]!.id, chain[i + 1]!.id)
    const [c0, c1, c2, c3] = chain.map((o) => o.id)
    expect(ids(await view(`types=organisation&focus=${c0}&depth=1`))).toEqual([c0, c1].sort())
    expect(ids(await view(`types=organisation&focus=${c0}&depth=2`))).toEqual([c0, c1, c2].sort())
    expect(ids(await view(`types=organisation&focus=${c0}&depth=3`))).toEqual([c0, c1, c2, c3].sort())
    const depth1 = await view(`types=organisation&focus=${c1}`)
    expect(ids(depth1)).toEqual([c0, c1, c2].sort())
    expect(depth1.meta).toMatchObject({ focus: c1, depth: 1 })

    expect((await api('GET', `/api/v1/network?types=organisation&focus=${c0}&depth=4`)).status).toBe(400)
    expect((await api('GET', `/api/v1/network?types=contact&focus=${c0}`)).status).toBe(404)
  })
})

describe('filters and highlight', () => {
  it('filters hide what does not match (AND); highlight keeps everything and flags matches (OR)', async () => {
    const hub = await organisation('Region Kronoberg', { kind: 'region', county: 'Kronobergs län' })
    const m1 = await organisation('Växjö kommun', { county: 'Kronobergs län' })
    const m2 = await organisation('Alvesta kommun', { county: 'Kronobergs län' })
    const ngo = await organisation('Föreningen Mötesplats Växjö', { kind: 'ngo', county: 'Kronobergs län' })
    const far = await organisation('Malmö stad', { county: 'Skåne län' })
    for (const o of [m1, m2, ngo, far]) await relate(hub.id, o.id)
    const officer = await contact('Rut', 'Rask', { categories: ['official'], affiliations: [{ organisation_id: m1.id }] })
    const volunteer = await contact('Olle', 'Ohlin', { categories: ['practitioner'], affiliations: [{ organisation_id: ngo.id }] })
    const ego = `focus=${hub.id}&depth=2&types=organisation,contact`

    const all = await view(ego)
    expect(ids(all)).toEqual([hub.id, m1.id, m2.id, ngo.id, far.id, officer.id, volunteer.id].sort())
    expect(all.nodes.every((n) => n.match === undefined)).toBe(true)

    // kind applies to organisations only: people stay, but lose the organisations that are gone.
    const municipalities = await view(`${ego}&kind=municipality&kind=region`)
    expect(ids(municipalities)).toEqual([hub.id, m1.id, m2.id, far.id, officer.id].sort())
    const both = await view(`${ego}&kind=municipality&kind=region&county=Kronobergs län`)
    expect(ids(both)).toEqual([hub.id, m1.id, m2.id, officer.id].sort())
    expect(both.edges.every((e) => [e.source, e.target].every((x) => ids(both).includes(x)))).toBe(true)
    const officials = await view(`${ego}&category=official`)
    expect(ids(officials)).toEqual([hub.id, m1.id, m2.id, ngo.id, far.id, officer.id].sort())

    const lit = await view(`${ego}&hl_kind=ngo&hl_county=Skåne län`)
    expect(ids(lit)).toEqual(ids(all))
    const flags = Object.fromEntries(lit.nodes.map((n) => [n.id, n.match]))
    expect(flags).toEqual({ [hub.id]: false, [m1.id]: false, [m2.id]: false, [ngo.id]: true, [far.id]: true, [officer.id]: false, [volunteer.id]: false })
    expect(lit.edges.every((e) => e.match === false)).toBe(true)

    const people = await view(`${ego}&hl_category=practitioner&hl_id=${ngo.id}`)
    const pair = people.edges.find((e) => e.source === volunteer.id)!
    expect(pair.match).toBe(true)
    expect(people.nodes.filter((n) => n.match).map((n) => n.id).sort()).toEqual([ngo.id, volunteer.id].sort())
  })

  it('a filter on organisations also hides the people linked only through the organisations it hid', async () => {
    const board = await organisation('Länsstyrelsen i Blekinge län', { kind: 'county_board', county: 'Blekinge län' })
    const town = await organisation('Karlskrona kommun', { county: 'Blekinge län' })
    const officer = await contact('Berit', 'Blom', { affiliations: [{ organisation_id: board.id }] })
    const clerk = await contact('Sven', 'Stare', { affiliations: [{ organisation_id: town.id }] })
    const both = await contact('Maja', 'Mild', { affiliations: [{ organisation_id: town.id }, { organisation_id: board.id }] })
    const loner = await contact('Ella', 'Ensling', { county: 'Blekinge län' })
    const v = await view('types=organisation,contact&kind=county_board&county=Blekinge län')
    const shown = ids(v)
    expect(shown).toEqual(expect.arrayContaining([board.id, officer.id, both.id, loner.id]))
    expect(shown).not.toContain(town.id)
    expect(shown).not.toContain(clerk.id)
    // Without a filter everyone is there.
    expect(ids(await view('types=organisation,contact&county=Blekinge län'))).toEqual(expect.arrayContaining([town.id, clerk.id]))
  })

  it('filters and highlights by theme, sub-themes included, and by alliance status', async () => {
    const parent = await create('/api/v1/themes', { name: 'Arbetsmarknad' })
    const child = await create('/api/v1/themes', { name: 'Validering', parent_id: parent.id })
    const hub = await organisation('Arbetsförmedlingen Kronoberg', { kind: 'authority' })
    const inChild = await organisation('Validering Syd', { theme_ids: [child.id] })
    const noTheme = await organisation('Lessebo kommun')
    await relate(hub.id, inChild.id)
    await relate(hub.id, noTheme.id)
    const active = await create('/api/v1/alliances', { name: 'Aktiv allians', status: 'active', members: [{ organisation_id: hub.id, role: 'lead' }] })
    const dormant = await create('/api/v1/alliances', { name: 'Vilande allians', status: 'dormant', members: [{ organisation_id: hub.id, role: 'lead' }] })
    const ego = `focus=${hub.id}&types=organisation,alliance`

    expect(ids(await view(`${ego}&alliance_status=active`))).toEqual([hub.id, inChild.id, noTheme.id, active.id].sort())
    const themed = await view(`types=organisation&theme_id=${parent.id}`)
    expect(ids(themed)).toContain(inChild.id)
    expect(ids(themed)).not.toContain(noTheme.id)
    const lit = await view(`${ego}&hl_theme_id=${parent.id}&hl_alliance_status=dormant`)
    expect(lit.nodes.filter((n) => n.match).map((n) => n.id).sort()).toEqual([inChild.id, dormant.id].sort())
  })

  it('marks and filters a plan\'s targets by whether they were reached', async () => {
    const reached = await organisation('Uppvidinge kommun')
    const missed = await organisation('Tingsryds kommun')
    const hub = await organisation('Länsstyrelsen i Kronobergs län', { kind: 'county_board' })
    await relate(hub.id, reached.id)
    await relate(hub.id, missed.id)
    const plan = await create('/api/v1/plans', { name: 'Nå kommunerna', status: 'active', target: { organisation_ids: [reached.id, missed.id] } })
    await create('/api/v1/activities', { title: 'Utbildningsdag', status: 'done', start_date: '2024-02-01', participants: [{ organisation_id: reached.id, attendance: 'attended' }] })
    const ego = `types=organisation&focus=${hub.id}&at=2024-12-31&plan_id=${plan.id}`

    const marked = await view(ego)
    expect(Object.fromEntries(marked.nodes.map((n) => [n.id, n.plan]))).toEqual({ [reached.id]: 'reached', [missed.id]: 'not_reached', [hub.id]: undefined })
    const outcome = async (q: string) => ids(await view(`types=organisation&at=2024-12-31&plan_id=${plan.id}&${q}`))
    expect(await outcome('plan_reach=reached')).toEqual([reached.id])
    expect(await outcome('reach=not_reached')).toEqual([missed.id])
    const lit = await view(`${ego}&hl_plan_reach=not_reached`)
    expect(lit.nodes.filter((n) => n.match).map((n) => n.id)).toEqual([missed.id])
    expect((await api('GET', '/api/v1/network?plan_reach=reached')).status).toBe(400)
  })

  it('refuses unknown parameters and bad values', async () => {
    for (const q of ['colour=red', 'types=organisation,planet', 'at=2024-13-01', 'theme_id=nope', 'depth=1', 'cluster=everything']) {
      const res = await api('GET', `/api/v1/network?${q}`)
      expect(res.status, q).toBe(q === 'depth=1' ? 200 : 400)
    }
  })
})

describe('changes between two dates', () => {
  it('lists the edges gained and lost, and marks them in a drawable view', async () => {
    const a = await organisation('Kalmar läns museum', { kind: 'other' })
    const b = await organisation('Kalmar konstmuseum', { kind: 'other' })
    const c = await organisation('Kalmar läns kulturråd', { kind: 'other' })
    const old = await relate(a.id, b.id, { end_date: '2021-12-31' })
    const kept = await relate(a.id, c.id)
    const fresh = await relate(b.id, c.id, { start_date: '2022-06-01' })
    const res = await api('GET', `/api/v1/network/changes?from=2021-06-01&to=2023-01-01&types=organisation&focus=${a.id}&depth=2`)
    expect(res.status).toBe(200)
    const ch = (await res.json()) as { gained: string[]; lost: string[]; edges: Edge[]; nodes: Node[] }
    expect(ch.gained).toEqual([`rel:${fresh.id}`])
    expect(ch.lost).toEqual([`rel:${old.id}`])
    const marks = Object.fromEntries(ch.edges.map((e) => [e.id, e.change ?? null]))
    expect(marks).toEqual({ [`rel:${old.id}`]: 'lost', [`rel:${kept.id}`]: null, [`rel:${fresh.id}`]: 'gained' })
    expect(ids(ch)).toEqual([a.id, b.id, c.id].sort())
    expect((await api('GET', '/api/v1/network/changes?from=2021-06-01')).status).toBe(400)
  })
})

describe('edge explanations', () => {
  it('lists the activities behind a co-participation edge and the records behind the others', async () => {
    const a = await organisation('Högskolan i Kalmar', { kind: 'research' })
    const b = await organisation('Kalmar Science Park', { kind: 'business' })
    const p = await contact('Ines', 'Isaksson', { affiliations: [{ organisation_id: b.id, role: 'projektledare', start_date: '2023-01-01' }] })
    const x1 = await create('/api/v1/activities', { title: 'Forskarträff om integration', type: 'seminar', status: 'done', start_date: '2023-03-01', participants: [{ organisation_id: a.id, attendance: 'attended' }, { contact_id: p.id, attendance: 'attended' }] })
    const x2 = await create('/api/v1/activities', { title: 'Rundabordssamtal', type: 'meeting', status: 'done', start_date: '2023-09-01', participants: [{ organisation_id: a.id, attendance: 'attended' }, { organisation_id: b.id, attendance: 'attended' }] })
    const v = await view(`types=organisation&focus=${a.id}`)
    const co = v.edges.find((e) => e.type === 'co_participation')!
    expect(co.weight).toBe(2)

    const res = await api('GET', `/api/v1/network/edges/${co.id}?lang=en`)
    expect(res.status).toBe(200)
    const x = (await res.json()) as { type: string; source: { label: string }; records: { id: string; title: string; start_date: string; href: string; through: { contact: string | null }[] }[]; explanation: string }
    expect(x.type).toBe('co_participation')
    expect(x.records.map((r) => [r.title, r.start_date, r.href])).toEqual([
      ['Forskarträff om integration', '2023-03-01', `/activities/${x1.id}`],
      ['Rundabordssamtal', '2023-09-01', `/activities/${x2.id}`],
    ])
    expect(x.records[0]!.through.map((w) => w.contact)).toContain('Ines Isaksson')
    expect(x.explanation).toMatch(/2/)

    const aff = v.edges.length ? (await view(`types=organisation,contact&focus=${p.id}`)).edges.find((e) => e.type === 'affiliation')! : null
    const explained = await (await api('GET', `/api/v1/network/edges/${aff!.id}`)).json()
    expect(explained).toMatchObject({ type: 'affiliation', source: { id: p.id, label: 'Ines Isaksson', href: `/contacts/${p.id}` }, target: { id: b.id } })
    expect(explained.records[0]).toMatchObject({ kind: 'affiliation', role: 'projektledare', start_date: '2023-01-01', end_date: null })

    for (const bad of ['nonsense', `aff:${a.id}`, `co:${a.id}:${p.id}`]) {
      expect((await api('GET', `/api/v1/network/edges/${bad}`)).status, bad).toBe(404)
    }
  })
})

describe('node card', () => {
  it('gives an organisation\'s key facts, its people and a link to its page as a fragment', async () => {
    const o = await organisation('Borgholms kommun', { county: 'Kalmar län' })
    await contact('Elis', 'Ek', { affiliations: [{ organisation_id: o.id }] })
    const browser = await t.browser('viewer')
    const res = await t.request(`/network/card/organisation/${o.id}`, { headers: { cookie: browser.cookie, 'HX-Request': 'true' } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('Borgholms kommun')
    expect(html).toContain('Kalmar län')
    expect(html).toContain('Elis Ek')
    expect(html).toContain(`href="/organisations/${o.id}"`)
    expect((await t.request(`/network/card/planet/${o.id}`, { headers: { cookie: browser.cookie } })).status).toBe(404)
    expect((await t.request(`/network/card/contact/${o.id}`, { headers: { cookie: browser.cookie } })).status).toBe(404)
  })
})
