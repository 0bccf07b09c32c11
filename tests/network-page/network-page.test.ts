import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { insertActivity } from '../plans/helpers.ts'

let t: TestApp
let cookie: string
const ids: Record<string, string> = {}

// A path Greta – Migrationsverket – Hugo – Länsstyrelsen – Ida – Malmö stad, and one association
// with no link at all: Hugo and Länsstyrelsen lie on the most shortest paths.
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('viewer')).cookie
  const editor = await t.apiToken('editor')
  const create = async (key: string, path: string, body: Record<string, unknown>) => {
    const res = await t.request(path, jsonRequest('POST', body, editor.headers))
    expect(res.status, await res.clone().text()).toBe(201)
    ids[key] = ((await res.json()) as { id: string }).id
  }
  await create('mig', '/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority' })
  await create('lst', '/api/v1/organisations', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board', county: 'Kalmar län' })
  await create('malmo', '/api/v1/organisations', { name: 'Malmö stad', kind: 'municipality', county: 'Skåne län' })
  await create('lonely', '/api/v1/organisations', { name: 'Föreningen Ensam', kind: 'ngo' })
  await create('odd', '/api/v1/organisations', { name: '</script><script>alert(1)</script> & Co', kind: 'other' })
  await create('greta', '/api/v1/contacts', { first_name: 'Greta', last_name: 'Gran', affiliations: [{ organisation_id: ids.mig }] })
  await create('hugo', '/api/v1/contacts', { first_name: 'Hugo', last_name: 'Holm', affiliations: [{ organisation_id: ids.mig }, { organisation_id: ids.lst, start_date: '2020-01-01' }] })
  await create('ida', '/api/v1/contacts', {
    first_name: 'Ida', last_name: 'Ivarsson',
    // A job that ended before today: only in the network of earlier days.
    affiliations: [{ organisation_id: ids.lst }, { organisation_id: ids.malmo }, { organisation_id: ids.mig, start_date: '2015-01-01', end_date: '2019-12-31' }],
  })
  // Migrationsverket took part in a seminar; Malmö stad did not: one of the plan's two targets is reached.
  await insertActivity(t.db, { start_date: '2020-05-01', participants: [{ organisation_id: ids.mig, attendance: 'attended' }] })
  await create('plan', '/api/v1/plans', { name: 'Nå kommunerna', status: 'active', target: { organisation_ids: [ids.mig, ids.malmo] } })
}, 60_000)
afterAll(() => t.close())

const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } })
/** The page with every person as a node of their own (`people=show`) unless the path says otherwise. */
const html = async (path: string, headers: Record<string, string> = {}) => {
  const res = await get(!path.startsWith('/network') || path.includes('people=') ? path : `${path}${path.includes('?') ? '&' : '?'}people=show`, headers)
  expect(res.status, path).toBe(200)
  return res.text()
}

interface Island {
  nodes: { id: string; label: string; type: string; degree: number; betweenness: number }[]
  edges: { source: string; target: string; type: string }[]
}

function island(page: string): Island {
  const m = /<template id="network-data">([\s\S]*?)<\/template>/.exec(page)
  expect(m, 'the graph data island').not.toBeNull()
  return JSON.parse(m![1]!) as Island
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

/** The rows of a table by id: each row's cells as text. */
function rows(page: string, tableId: string): string[][] {
  const start = page.indexOf(`<table id="${tableId}"`)
  expect(start, tableId).toBeGreaterThan(-1)
  const body = page.slice(page.indexOf('<tbody>', start), page.indexOf('</tbody>', start))
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim())),
  )
}

describe('the network page', () => {
  it('shows the graph canvas with its controls, a text summary and the side panel', async () => {
    const page = await html('/network')
    for (const control of ['f-types-organisation', 'f-types-contact', 'f-types-alliance', 'f-types-project', 'f-types-body', 'f-types-theme',
      'f-theme_id', 'f-kind', 'f-county', 'f-category', 'f-alliance_status', 'f-plan_id', 'f-plan_reach',
      'f-hl_theme_id', 'f-hl_kind', 'f-hl_county', 'f-hl_category', 'f-hl_alliance_status', 'f-hl_plan_reach',
      'f-at', 'f-from', 'f-to', 'f-depth', 'f-size', 'f-colour', 'f-layout', 'network-find']) {
      expect(page, control).toContain(`<label for="${control}"`)
    }
    expect(page).toContain('<form class="network-controls" id="network-form" method="get" action="/network"')
    expect(page).toMatch(/<div id="network-graph"[^>]*aria-describedby="network-summary network-help"/)
    expect(page).toContain('<p id="network-summary" class="network-summary">8 noder, 5 kopplingar')
    expect(page).toMatch(/största mäklare: (Hugo Holm|Länsstyrelsen i Kalmar län), (Hugo Holm|Länsstyrelsen i Kalmar län)/)
    expect(page).toContain('<aside id="network-panel"')
    expect(page).toContain('<script src="/static/vendor/cytoscape.min.js" defer></script>')
    expect(page).toContain('<script src="/static/js/network.js" defer></script>')
    expect([...page.matchAll(/<script[^>]*>/g)].map((m) => m[0]).filter((tag) => !/^<script src="\/static\/[^"]+"( defer)?>$/.test(tag))).toEqual([])
    expect(page).not.toMatch(/ style="| on[a-z]+="/)
  })

  it('puts the view into an inert JSON island that no name can break out of', async () => {
    const page = await html('/network')
    const data = island(page)
    expect(data.nodes).toHaveLength(8)
    expect(data.edges).toHaveLength(5)
    expect(data.nodes.find((n) => n.id === ids.odd)?.label).toBe('</script><script>alert(1)</script> & Co')
    expect(page).not.toContain('<script>alert(1)')
    expect(data.nodes.find((n) => n.id === ids.hugo)).toMatchObject({ type: 'contact', degree: 2 })
  })

  it('ranks brokers and lists isolated actors as links that select the node', async () => {
    const page = await html('/network')
    const brokers = page.slice(page.indexOf('id="network-brokers-h"'), page.indexOf('id="network-bridges-h"'))
    expect(brokers).toContain(`<a href="/contacts/${ids.hugo}" data-node="${ids.hugo}">Hugo Holm</a>`)
    const isolated = page.slice(page.indexOf('id="network-isolated-h"'), page.indexOf('id="network-exports-h"'))
    expect(isolated).toContain(`data-node="${ids.lonely}">Föreningen Ensam</a>`)
    expect(isolated).not.toContain('Hugo Holm')
  })

  it('lists the same view as tables of nodes and edges with their measures', async () => {
    const page = await html('/network?view=table&sort=label&dir=asc')
    expect(page).not.toContain('id="network-graph"')
    expect(page).toContain('aria-current="page">Tabell</a>')
    const nodes = rows(page, 'network-nodes')
    expect(nodes.map((r) => r[0])).toEqual([
      '</script><script>alert(1)</script> & Co',
      'Föreningen Ensam', 'Greta Gran', 'Hugo Holm', 'Ida Ivarsson', 'Länsstyrelsen i Kalmar län', 'Malmö stad', 'Migrationsverket',
    ].sort((a, b) => a.localeCompare(b, 'sv')))
    const hugo = nodes.find((r) => r[0] === 'Hugo Holm')!
    expect(hugo.slice(1, 3)).toEqual(['person', '2'])
    expect(Number(hugo[3]!.replace(',', '.'))).toBeGreaterThan(0)
    const edges = rows(page, 'network-edges')
    expect(edges).toHaveLength(5)
    expect(edges).toContainEqual(['Hugo Holm', 'Länsstyrelsen i Kalmar län', 'arbetar på', '1'])
  })

  it('sorts the node table by a column chosen with a link, and says so', async () => {
    const page = await html('/network?view=table&sort=degree&dir=desc')
    expect(page).toMatch(/<th scope="col" aria-sort="descending"><a href="[^"]*sort=degree&amp;dir=asc[^"]*">Grad/)
    const degrees = rows(page, 'network-nodes').map((r) => Number(r[2]))
    expect(degrees).toEqual([...degrees].sort((a, b) => b - a))
    const byName = await html('/network?view=table&sort=label')
    expect(byName).toMatch(/aria-sort="ascending"><a href="[^"]*">Namn/)
  })

  it('finds nodes by name in the table view, accents and case aside', async () => {
    const page = await html('/network?view=table&find=MALMO')
    expect(rows(page, 'network-nodes').map((r) => r[0])).toEqual(['Malmö stad'])
    // Malmö as a Dane writes it: "ø" folds to "o" as every search folds it (foldText).
    const danish = await html(`/network?view=table&find=${encodeURIComponent('Malmø')}`)
    expect(rows(danish, 'network-nodes').map((r) => r[0])).toEqual(['Malmö stad'])
  })

  it('hides what a filter rules out and keeps edges only between what is left', async () => {
    const page = await html('/network?view=table&kind=municipality&types=organisation&types=contact')
    const names = rows(page, 'network-nodes').map((r) => r[0])
    expect(names).toContain('Malmö stad')
    expect(names).not.toContain('Migrationsverket')
    expect(rows(page, 'network-edges')).toEqual([['Ida Ivarsson', 'Malmö stad', 'arbetar på', '1']])
  })

  it('dims rather than hides with a highlight', async () => {
    const data = island(await html('/network?hl_kind=municipality'))
    expect(data.nodes).toHaveLength(8)
    expect(data.nodes.find((n) => n.id === ids.malmo)).toMatchObject({ match: true })
    expect(data.nodes.find((n) => n.id === ids.mig)).toMatchObject({ match: false })
  })

  it('shows the ego network of one actor to the chosen depth', async () => {
    const one = rows(await html(`/network?view=table&focus=${ids.greta}&depth=1`), 'network-nodes').map((r) => r[0]).sort()
    expect(one).toEqual(['Greta Gran', 'Migrationsverket'])
    const two = rows(await html(`/network?view=table&focus=${ids.greta}&depth=2`), 'network-nodes').map((r) => r[0]).sort()
    expect(two).toEqual(['Greta Gran', 'Hugo Holm', 'Migrationsverket'])
    expect(await html(`/network?focus=${ids.greta}&depth=2`)).toContain('Fokus på Greta Gran')
  })

  it('answers an htmx request with the results only, the tabs swapped along', async () => {
    const page = await html('/network?kind=municipality', { 'HX-Request': 'true' })
    expect(page).not.toContain('<html')
    expect(page).not.toContain('id="network-form"')
    expect(page).toContain('<div id="network-results"')
    expect(page).toMatch(/<nav id="network-tabs"[^>]*hx-swap-oob="true"/)
    expect(page).toContain('href="/network?kind=municipality&amp;people=show&amp;view=table"')
  })

  it('links the exports of the current view to the API with the same filters', async () => {
    const page = await html('/network?kind=municipality&size=betweenness')
    expect(page).toContain('href="/api/v1/network?kind=municipality&amp;format=graphml"')
    expect(page).toContain('href="/api/v1/network?kind=municipality&amp;format=gexf"')
    expect(page).toContain('href="/api/v1/network?kind=municipality&amp;format=csv&amp;part=nodes"')
    expect(page).toContain('href="/api/v1/network?kind=municipality&amp;format=csv&amp;part=edges"')
    expect(page).toContain('id="network-png" hidden')
  })

  it('colours the targets of a plan reached or not reached, says so in words, and filters on it', async () => {
    const page = await html(`/network?plan_id=${ids.plan}`)
    const data = island(page)
    expect(data.nodes.find((n) => n.id === ids.mig)).toMatchObject({ plan: 'reached' })
    expect(data.nodes.find((n) => n.id === ids.malmo)).toMatchObject({ plan: 'not_reached' })
    expect(page).toMatch(/<option value="plan" selected>Nådd enligt planen<\/option>/)
    expect(page).toContain('Nådd: grön, tjock kant')
    expect(page).toContain('Inte nådd: röd, streckad kant')
    const reached = rows(await html(`/network?view=table&plan_id=${ids.plan}&plan_reach=reached&types=organisation`), 'network-nodes')
    expect(reached.map((r) => [r[0], r[5]])).toEqual([['Migrationsverket', 'Nådda']])
  })

  it('shows the links gained and lost between two days, in the graph data and the table', async () => {
    const page = await html('/network?mode=changes&from=2018-06-01&to=2021-06-01&view=table')
    expect(page).toContain('1 nya och 1 förlorade kopplingar')
    const edges = rows(page, 'network-edges')
    expect(edges).toContainEqual(['Hugo Holm', 'Länsstyrelsen i Kalmar län', 'arbetar på', '1', 'Ny'])
    expect(edges).toContainEqual(['Ida Ivarsson', 'Migrationsverket', 'arbetar på', '1', 'Förlorad'])
    const graph = island(await html('/network?mode=changes&from=2018-06-01&to=2021-06-01'))
    expect(graph.edges.filter((e) => (e as { change?: string }).change).map((e) => (e as { change?: string }).change).sort()).toEqual(['gained', 'lost'])
    expect(await html('/network?mode=changes&from=2018-06-01&to=2021-06-01')).toContain('Ny koppling: grön, tjock heldragen linje')
  })

  it('shows the network as it stood on an earlier day', async () => {
    const edges = rows(await html('/network?view=table&at=2018-06-01'), 'network-edges')
    expect(edges).toContainEqual(['Ida Ivarsson', 'Migrationsverket', 'arbetar på', '1'])
    expect(edges).not.toContainEqual(['Hugo Holm', 'Länsstyrelsen i Kalmar län', 'arbetar på', '1'])
  })

  it('lists the relationships gained and lost between two days: who, which, when', async () => {
    for (const view of ['', '&view=table']) {
      const list = rows(await html(`/network?mode=changes&from=2018-06-01&to=2021-06-01${view}`), 'network-changes')
      expect(list).toContainEqual(['Ny', 'Hugo Holm', 'arbetar på', 'Länsstyrelsen i Kalmar län', '2020-01-01'])
      expect(list).toContainEqual(['Förlorad', 'Ida Ivarsson', 'arbetar på', 'Migrationsverket', '2019-12-31'])
    }
    expect(await html('/network?mode=changes&from=2021-06-01&to=2021-07-01')).toContain('Inga kopplingar tillkom eller försvann.')
    expect(await html('/network')).not.toContain('id="network-changes"')
  })

  it('stores a named view (query and positions, audited) for editors, refuses a bad one with a 4xx, opens it by its link', async () => {
    const editor = (await t.browser('editor')).cookie
    const post = (fields: Record<string, string>, who = editor) =>
      t.request('/network/views', { method: 'POST', headers: { cookie: who, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
    const positions = JSON.stringify({ [ids.mig!]: { x: 10, y: 20 } })
    expect((await post({ name: 'Till styrgruppen', query: 'county=Kalmar+län', positions }, cookie)).status).toBe(403)
    for (const bad of [{ name: '', query: '', positions }, { name: 'x', query: 'kind=castle', positions }, { name: 'x', query: '', positions: '{"a":{"x":"1"}}' }, { name: 'x', query: '', positions: 'not json' }]) {
      const res = await post(bad)
      expect(res.status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(bad)).toBeLessThan(500)
    }
    const res = await post({ name: 'Till styrgruppen', query: 'county=Kalmar+län&select=x&page=2', positions })
    expect(res.status).toBe(303)
    const id = res.headers.get('location')!.split('/').pop()!
    const row = await t.db.selectFrom('network_views').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: 'Till styrgruppen', query: 'county=Kalmar+l%C3%A4n', positions: { [ids.mig!]: { x: 10, y: 20 } } })
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('entity_type', '=', 'network_view').where('entity_id', '=', id).execute()
    expect(audit).toEqual([{ action: 'create' }])
    // A viewer opens it: the page with its query, its positions in the settings, and it is listed.
    const open = await get(`/network/views/${id}`)
    expect(open.status).toBe(302)
    expect(open.headers.get('location')).toBe(`/network?county=Kalmar+l%C3%A4n&saved=${id}`)
    const page = await html(`/network?county=Kalmar+l%C3%A4n&saved=${id}`)
    expect(page).toContain(`<a href="/network/views/${id}">Till styrgruppen</a>`)
    expect(page).toContain('"positions":{"' + ids.mig + '":{"x":10,"y":20}}')
    expect(page).not.toContain('id="network-save-form"')
    expect((await get('/network/views/00000000-0000-4000-8000-000000000000')).status).toBe(404)
  })

  it('lets whoever saved a view, or an admin, rename and remove it (soft, audited, versioned); colleagues see the change', async () => {
    const owner = (await t.browser('editor')).cookie
    const colleague = (await t.browser('editor')).cookie
    const admin = (await t.browser('admin')).cookie
    const form = (path: string, fields: Record<string, string>, who: string) =>
      t.request(path, { method: 'POST', headers: { cookie: who, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
    const saved = await form('/network/views', { name: 'Länens nätverk', query: 'county=Kalmar+län', positions: '{}' }, owner)
    const id = saved.headers.get('location')!.split('/').pop()!
    const listed = async (who: string) => (await (await t.request('/network', { headers: { cookie: who } })).text())
    // The owner is offered the change; a colleague sees the view but not the forms, and may not post them.
    expect(await listed(owner)).toContain(`action="/network/views/${id}/rename"`)
    expect(await listed(colleague)).toContain(`<a href="/network/views/${id}">Länens nätverk</a>`)
    expect(await listed(colleague)).not.toContain(`action="/network/views/${id}/rename"`)
    expect((await form(`/network/views/${id}/rename`, { name: 'Kapat', version: '1' }, colleague)).status).toBe(403)
    expect((await form(`/network/views/${id}/delete`, { version: '1' }, colleague)).status).toBe(403)
    expect((await form(`/network/views/${id}/rename`, { name: 'x', version: '1' }, cookie)).status).toBe(403)
    for (const bad of [{ name: '', version: '1' }, { name: 'x' }, { name: 'x', version: 'ett' }]) {
      const res = await form(`/network/views/${id}/rename`, bad as Record<string, string>, owner)
      expect(res.status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(bad)).toBeLessThan(500)
    }
    const renamed = await form(`/network/views/${id}/rename`, { name: 'Kalmar läns nätverk', version: '1', back: '/network?view=table' }, owner)
    expect(renamed.status).toBe(303)
    expect(renamed.headers.get('location')).toBe('/network?view=table')
    expect(await listed(cookie)).toContain(`<a href="/network/views/${id}">Kalmar läns nätverk</a>`)
    // A stale form: 409, nothing changed.
    expect((await form(`/network/views/${id}/rename`, { name: 'Gammalt', version: '1' }, owner)).status).toBe(409)
    // An admin removes it: gone for everyone, its link a 404, the row kept (soft).
    expect((await form(`/network/views/${id}/delete`, { version: '2' }, admin)).status).toBe(303)
    expect(await listed(cookie)).not.toContain(`/network/views/${id}"`)
    expect((await t.request(`/network/views/${id}`, { headers: { cookie } })).status).toBe(404)
    expect((await form(`/network/views/${id}/delete`, { version: '3' }, owner)).status).toBe(404)
    const row = await t.db.selectFrom('network_views').select(['name', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.name).toBe('Kalmar läns nätverk')
    expect(row.deleted_at).not.toBeNull()
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'network_view').where('entity_id', '=', id).orderBy('at').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete'])
  })

  it('leaves out, on a chosen day, what had no relationship valid then unless asked to show it', async () => {
    const day = async (extra: string) => island(await html(`/network?at=2018-06-01${extra}`)).nodes.map((n) => n.id)
    const linked = await day('')
    expect(linked).toEqual(expect.arrayContaining([ids.mig, ids.greta, ids.ida]))
    expect(linked).not.toContain(ids.lonely)
    // Today (no day chosen) and with the toggle, everything is there.
    expect(await day('&unlinked=show')).toContain(ids.lonely)
    expect(island(await html('/network')).nodes.map((n) => n.id)).toContain(ids.lonely)
  })

  it('folds people into their organisations by default, with a count, and shows one organisation\'s people on request', async () => {
    const folded = island(await html('/network?people=fold')) as unknown as { nodes: { id: string; type: string; people?: number }[] }
    expect(folded.nodes.filter((n) => n.type === 'contact')).toEqual([])
    const people = Object.fromEntries(folded.nodes.map((n) => [n.id, n.people]))
    expect(people[ids.mig!]).toBe(2)
    expect(people[ids.lst!]).toBe(2)
    expect(people[ids.malmo!]).toBe(1)
    expect(people[ids.lonely!]).toBeUndefined()
    const opened = island(await html(`/network?people=fold&unfold=${ids.mig}`)).nodes.map((n) => n.id)
    expect(opened).toEqual(expect.arrayContaining([ids.greta, ids.hugo]))
    expect(opened).not.toContain(ids.ida)
    // The files for Gephi are of every node.
    expect(await html('/network?people=fold')).toContain('href="/api/v1/network?format=graphml"')
  })

  it('collapses communities into groups on request, and opens one again', async () => {
    const clustered = island(await html('/network?cluster=community'))
    const groups = clustered.nodes.filter((n) => n.type === 'cluster')
    expect(groups.length).toBeGreaterThan(0)
    const biggest = [...groups].sort((a, b) => ((b as { size?: number }).size ?? 0) - ((a as { size?: number }).size ?? 0))[0]!
    const opened = island(await html(`/network?cluster=community&expand=${encodeURIComponent(biggest.id)}`))
    expect(opened.nodes.length).toBeGreaterThan(clustered.nodes.length)
    expect(opened.nodes.some((n) => n.id === biggest.id)).toBe(false)
  })

  it('lets an editor rename a community: kept by its most central member across reloads and recomputes, audited, versioned', async () => {
    const editor = (await t.browser('editor')).cookie
    const page = async (who = editor) => (await t.request('/network?colour=community&people=show', { headers: { cookie: who } })).text()
    const post = (fields: Record<string, string>, who = editor) =>
      t.request('/network/communities', { method: 'POST', headers: { cookie: who, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
    const first = await page()
    const anchor = /name="anchor" value="([^"]+)"/.exec(first)![1]!
    const central = decode(/Namn på gruppen kring ([^<]+)<\/label>/.exec(first)![1]!)
    // A viewer sees the names but no rename form, and may not post one.
    expect(await page(cookie)).not.toContain('action="/network/communities"')
    expect((await post({ anchor, name: 'Kalmargruppen' }, cookie)).status).toBe(403)
    for (const bad of [{ name: 'x' }, { anchor, name: 'x'.repeat(201) }, { anchor, name: 'x', version: 'ett' }]) {
      const res = await post(bad as Record<string, string>)
      expect(res.status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(bad)).toBeLessThan(500)
    }
    // Saved; an off-site "back" is not followed.
    const res = await post({ anchor, name: 'Kalmargruppen', back: 'https://evil.example/' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/network?colour=community')
    const named = await page()
    expect(named).toContain(`Kalmargruppen – kring ${central}`)
    expect(named).toContain('"Kalmargruppen"')
    // The network changes (a new organisation with a person): recomputed, the group is still the same and keeps its name.
    const token = await t.apiToken('editor')
    const org = await t.request('/api/v1/organisations', jsonRequest('POST', { name: 'Föreningen Ny', kind: 'ngo' }, token.headers))
    const orgId = ((await org.json()) as { id: string }).id
    await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: 'Nils', last_name: 'Ny', affiliations: [{ organisation_id: orgId }] }, token.headers))
    expect(await page()).toContain(`Kalmargruppen – kring ${central}`)
    // A stale form is a 409 and changes nothing; a current one renames; an empty name gives the default back.
    const row = await t.db.selectFrom('community_names').selectAll().where('anchor_id', '=', anchor).where('deleted_at', 'is', null).executeTakeFirstOrThrow()
    expect((await post({ anchor, name: 'Gammalt namn', version: String(row.version + 7) })).status).toBe(409)
    const renamed = await post({ anchor, name: 'Östra gruppen', version: String(row.version), back: '/network?colour=community&people=show' })
    expect(renamed.status).toBe(303)
    expect(renamed.headers.get('location')).toBe('/network?colour=community&people=show')
    expect(await page()).toContain(`Östra gruppen – kring ${central}`)
    expect((await post({ anchor, name: '', version: String(row.version + 1) })).status).toBe(303)
    const back = await page()
    expect(back).not.toContain('Östra gruppen')
    expect(back).toContain(`Gruppen kring ${central}`)
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'community_name').where('entity_id', '=', row.id).orderBy('at').execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete'])
    expect((await t.db.selectFrom('community_names').select('deleted_at').where('id', '=', row.id).executeTakeFirstOrThrow()).deleted_at).not.toBeNull()
  })

  it('refuses a filter value it does not know', async () => {
    const res = await get('/network?kind=castle')
    expect(res.status).toBe(400)
  })

  it('offers "Visa i nätverket" on organisation and contact pages, to viewers too', async () => {
    expect(await html(`/organisations/${ids.mig}`)).toContain(`<a class="button" href="/network?focus=${ids.mig}&amp;depth=1">Visa i nätverket</a>`)
    expect(await html(`/contacts/${ids.greta}`)).toContain(`<a class="button" href="/network?focus=${ids.greta}&amp;depth=1">Visa i nätverket</a>`)
  })

  it('is in the main menu for a viewer, and asks an anonymous visitor to log in', async () => {
    expect(await html('/')).toContain('<a href="/network">Nätverk</a>')
    const res = await t.request('/network')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })
})
