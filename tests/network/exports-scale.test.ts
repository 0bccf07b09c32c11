import { parse as parseCsv } from 'csv-parse/sync'
import { MultiGraph } from 'graphology'
import gexfModule from 'graphology-gexf'
import graphmlModule from 'graphology-graphml'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { networkView } from '../../src/network/view.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

const gexf = gexfModule as unknown as typeof import('graphology-gexf')
const graphml = graphmlModule as unknown as typeof import('graphology-graphml')

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const org: Record<string, { id: string; version: number }> = {}
let person: { id: string }

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.request(path, jsonRequest(method, body, { ...editor.headers, ...headers }))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json() as Promise<{ id: string; version: number }>
}

/**
 * A register of its own: two cliques of four municipalities joined by one partnership (a4–b1),
 * a person at a1, and an organisation with no link at all — 10 nodes, 14 edges.
 */
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  for (const k of ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4']) {
    org[k] = await create('/api/v1/organisations', { name: `Kommun ${k.toUpperCase()}`, kind: 'municipality', county: k.startsWith('a') ? 'Kalmar län' : 'Skåne län' })
  }
  org.lonely = await create('/api/v1/organisations', { name: 'Bolaget & Co <AB> "Öst" \'Väst\'', kind: 'business' })
  const pairs = [['a1', 'a2'], ['a1', 'a3'], ['a1', 'a4'], ['a2', 'a3'], ['a2', 'a4'], ['a3', 'a4'], ['b1', 'b2'], ['b1', 'b3'], ['b1', 'b4'], ['b2', 'b3'], ['b2', 'b4'], ['b3', 'b4'], ['a4', 'b1']]
  for (const [a, b] of pairs) {
    await create('/api/v1/organisation-relationships', { from_organisation_id: org[a!]!.id, to_organisation_id: org[b!]!.id, type: 'partner_of' })
  }
  person = await create('/api/v1/contacts', { first_name: 'Alma', last_name: 'Åberg', affiliations: [{ organisation_id: org.a1!.id }] })
})
afterAll(() => t.close())

const TYPES = 'types=organisation,contact'

describe('exports of the view', () => {
  it('GraphML (by format or Accept header) opens in a graph library with every node, edge and measure', async () => {
    for (const [query, headers] of [[`${TYPES}&format=graphml`, {}], [TYPES, { accept: 'application/graphml+xml' }]] as const) {
      const res = await api('GET', `/api/v1/network?${query}`, undefined, headers)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('application/graphml+xml')
      const g = graphml.parse(MultiGraph, await res.text())
      expect(g.order).toBe(10)
      expect(g.size).toBe(14)
      expect(g.getNodeAttributes(org.lonely!.id)).toMatchObject({ label: 'Bolaget & Co <AB> "Öst" \'Väst\'', type: 'organisation', kind: 'business', degree: 0 })
      expect(g.getNodeAttributes(org.a4!.id)).toMatchObject({ label: 'Kommun A4', degree: 4, county: 'Kalmar län' })
      expect(g.getNodeAttribute(org.a4!.id, 'betweenness')).toBeGreaterThan(0.4)
      expect(typeof g.getNodeAttribute(org.a4!.id, 'community')).toBe('number')
      const affiliation = g.edges().find((e) => g.getEdgeAttribute(e, 'type') === 'affiliation')!
      expect(g.source(affiliation)).toBe(person.id)
      expect(g.getEdgeAttribute(affiliation, 'weight')).toBe(1)
    }
  })

  it('GEXF opens in a graph library with labels, measures and edge weights', async () => {
    const res = await api('GET', `/api/v1/network?${TYPES}&format=gexf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/gexf+xml')
    const g = gexf.parse(MultiGraph, await res.text())
    expect(g.order).toBe(10)
    expect(g.size).toBe(14)
    expect(g.getNodeAttributes(org.lonely!.id)).toMatchObject({ label: 'Bolaget & Co <AB> "Öst" \'Väst\'', degree: 0, type: 'organisation' })
    expect(g.getNodeAttributes(org.b1!.id)).toMatchObject({ label: 'Kommun B1', degree: 4 })
    const bridge = g.edges().find((e) => g.hasExtremity(e, org.a4!.id) && g.hasExtremity(e, org.b1!.id))!
    expect(g.getEdgeAttributes(bridge)).toMatchObject({ type: 'partner_of', bridge: true, weight: 1 })
  })

  it('CSV of nodes and of edges, with the measures, opened by a CSV reader', async () => {
    const nodes = await api('GET', `/api/v1/network?${TYPES}&format=csv&part=nodes`)
    expect(nodes.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await nodes.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(new TextDecoder().decode(bytes), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(10)
    expect(rows.find((r) => r.id === org.a4!.id)).toMatchObject({ label: 'Kommun A4', type: 'organisation', degree: '4', county: 'Kalmar län' })
    const edges = parseCsv(await (await api('GET', `/api/v1/network?${TYPES}&format=csv&part=edges`)).text(), { columns: true }) as Record<string, string>[]
    expect(edges).toHaveLength(14)
    expect(Object.keys(edges[0]!)).toEqual(expect.arrayContaining(['id', 'source', 'target', 'type', 'weight']))
  })
})

describe('measures of the view, in JSON', () => {
  it('ranks the two ends of the only bridge as brokers, lists the isolated organisation, finds two communities', async () => {
    const v = (await (await api('GET', `/api/v1/network?${TYPES}`)).json()) as { meta: { community_count: number }; measures: { brokers: { id: string }[]; isolated: { id: string }[]; bridge_edges: { source: string; target: string }[] } }
    expect(v.measures.brokers.slice(0, 2).map((b) => b.id).sort()).toEqual([org.a4!.id, org.b1!.id].sort())
    expect(v.measures.isolated.map((n) => n.id)).toEqual([org.lonely!.id])
    expect(v.measures.bridge_edges.map((e) => [e.source, e.target])).toEqual([[org.a4!.id, org.b1!.id]])
    // Two cliques (the person with a1) and the lonely organisation on its own.
    expect(v.meta.community_count).toBe(3)
  })
})

interface ClusterView {
  nodes: { id: string; type: string; size?: number; label: string; x?: number }[]
  edges: { id: string; source: string; target: string; type: string; weight: number; count?: number }[]
  meta: { cluster: string | null; node_count: number; layout: string; data_version: string }
}

describe('clusters', () => {
  it('collapses each community into one node with its size, sums the edges between them, and expands one on request', async () => {
    const v = (await (await api('GET', `/api/v1/network?${TYPES}&cluster=community`)).json()) as ClusterView
    expect(v.meta).toMatchObject({ cluster: 'community', node_count: 10 })
    expect(v.nodes.every((n) => n.type === 'cluster')).toBe(true)
    expect(v.nodes.map((n) => n.size).sort()).toEqual([1, 4, 5])
    expect(v.edges).toHaveLength(1)
    expect(v.edges[0]).toMatchObject({ type: 'aggregate', weight: 1, count: 1 })

    const big = v.nodes.find((n) => n.size === 5)!
    const open = (await (await api('GET', `/api/v1/network?${TYPES}&cluster=community&expand=${encodeURIComponent(big.id)}`)).json()) as ClusterView
    expect(open.nodes.filter((n) => n.type === 'cluster').map((n) => n.size).sort()).toEqual([1, 4])
    expect(open.nodes.filter((n) => n.type !== 'cluster')).toHaveLength(5)
    // Inside the open group the real edges (6 + the affiliation), and one aggregate from a4 to the closed group.
    expect(open.edges.filter((e) => e.type !== 'aggregate')).toHaveLength(7)
    expect(open.edges.filter((e) => e.type === 'aggregate')).toEqual([expect.objectContaining({ weight: 1, count: 1 })])
  })

  it('groups by kind and by county, people by type', async () => {
    const byKind = (await (await api('GET', `/api/v1/network?${TYPES}&cluster=kind&lang=en`)).json()) as ClusterView
    expect(byKind.nodes.map((n) => [n.id, n.size]).sort()).toEqual([
      ['cluster:kind:contact', 1],
      ['cluster:kind:organisation:business', 1],
      ['cluster:kind:organisation:municipality', 8],
    ])
    expect(byKind.nodes.find((n) => n.id === 'cluster:kind:organisation:municipality')!.label).toBe('Organisations: Municipality')
    const byCounty = (await (await api('GET', `/api/v1/network?${TYPES}&cluster=county`)).json()) as ClusterView
    expect(byCounty.nodes.map((n) => [n.id, n.size]).sort()).toEqual([
      ['cluster:county:contact:Kalmar län', 1],
      ['cluster:county:organisation:-', 1],
      ['cluster:county:organisation:Kalmar län', 4],
      ['cluster:county:organisation:Skåne län', 4],
    ])
    const lit = (await (await api('GET', `/api/v1/network?${TYPES}&cluster=kind&hl_county=Skåne län`)).json()) as { nodes: { id: string; match?: boolean }[] }
    expect(Object.fromEntries(lit.nodes.map((n) => [n.id, n.match]))).toEqual({
      'cluster:kind:contact': false,
      'cluster:kind:organisation:business': false,
      'cluster:kind:organisation:municipality': true,
    })
  })

  it('clusters a JSON view by community by itself only above the limit', async () => {
    const q = networkQuery.parse({ types: 'organisation,contact', cluster: 'auto' })
    expect((await networkView(t.db, q, { autoClusterLimit: 9 })).meta.cluster).toBe('community')
    expect((await networkView(t.db, q, { autoClusterLimit: 10 })).meta.cluster).toBe(null)
  })
})

describe('server-side layout', () => {
  it('gives positions, keeps them in the cache, and computes them again after a record changes', async () => {
    const get = async () => (await (await api('GET', `/api/v1/network?${TYPES}&layout=server`)).json()) as ClusterView
    const first = await get()
    expect(first.meta.layout).toBe('server')
    expect(first.nodes.every((n) => typeof n.x === 'number')).toBe(true)
    const again = await get()
    expect(again.meta.layout).toBe('server_cached')
    expect(again.nodes.map((n) => n.x)).toEqual(first.nodes.map((n) => n.x))
    // A filter picks nodes out of the same layout: positions stay where they were.
    const filtered = (await (await api('GET', `/api/v1/network?${TYPES}&layout=server&county=Skåne län`)).json()) as ClusterView
    expect(filtered.meta.layout).toBe('server_cached')
    expect(filtered.nodes.find((n) => n.id === org.b1!.id)!.x).toBe(first.nodes.find((n) => n.id === org.b1!.id)!.x)

    const res = await api('PATCH', `/api/v1/organisations/${org.lonely!.id}`, { name: 'Bolaget i Öst AB', version: org.lonely!.version })
    expect(res.status).toBe(200)
    const after = await get()
    expect(after.meta.layout).toBe('server')
    expect(after.meta.data_version).not.toBe(first.meta.data_version)
    const rows = await t.db.selectFrom('network_layout_cache').select(['data_version']).execute()
    expect(rows.map((r) => r.data_version)).toEqual([after.meta.data_version])
    expect((await get()).meta.layout).toBe('server_cached')
  })

  it('answers without positions while a layout is still being computed, and from the cache once it is done', async () => {
    const q = networkQuery.parse({ types: 'organisation,contact', layout: 'server', at: '2024-01-01' })
    const first = await networkView(t.db, q, { layoutWaitMs: 0 })
    expect(first.meta.layout).toBe('pending')
    expect(first.nodes.every((n) => !('x' in n))).toBe(true)
    await vi.waitFor(async () => expect((await networkView(t.db, q, { layoutWaitMs: 0 })).meta.layout).toBe('server_cached'), { timeout: 50_000, interval: 100 })
  }, 60_000)

  it('sizes and places a cluster node at the middle of its members', async () => {
    const v = (await (await api('GET', `/api/v1/network?${TYPES}&layout=server&cluster=community`)).json()) as ClusterView
    expect(v.nodes.every((n) => typeof n.x === 'number')).toBe(true)
  })
})

describe('transfer', () => {
  it('sends the view gzipped to a client that accepts it, and plain to one that does not', async () => {
    const zipped = await api('GET', `/api/v1/network?${TYPES}`, undefined, { 'accept-encoding': 'gzip' })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    const plain = await api('GET', `/api/v1/network?${TYPES}`)
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(((await plain.json()) as { nodes: unknown[] }).nodes).toHaveLength(10)
  })
})
