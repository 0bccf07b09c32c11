import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clusterView } from '../../src/network/cluster.ts'
import { assembleGraph } from '../../src/network/graph.service.ts'
import { forceAtlas2Positions } from '../../src/network/layout-fa2.ts'
import { edgeIndices, indicesOf, measure, measureLists, seededRandom } from '../../src/network/measures.ts'
import type { EdgeOut, NodeOut } from '../../src/network/view.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// The whole register's view reads its edges' ends by node position (Graph.ends) instead of looking
// each up by id in every pass. Both ways must give the same view.

/** A random view: organisations and people, links between them, a few repeated and a few loops. */
function randomView(n: number, m: number, seed: number): { nodes: NodeOut[]; edges: EdgeOut[] } {
  const rng = seededRandom(seed)
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: i % 3 ? 'contact' : 'organisation', label: `Nod ${String.fromCharCode(65 + (i % 26))}${i}` }))
  const edges = Array.from({ length: m }, (_, k) => ({
    id: `e${k}`,
    source: `n${Math.floor(rng() * n)}`,
    target: `n${Math.floor(rng() * n)}`,
    type: k % 2 ? 'affiliation' : 'partner_of',
    weight: 1 + (k % 3),
  }))
  const m1 = measure({ nodes, edges })
  return {
    nodes: nodes.map((node, i) => ({ ...node, degree: m1.degree[i]!, betweenness: m1.betweenness[i]!, community: m1.community[i]! }) as unknown as NodeOut),
    edges: edges as unknown as EdgeOut[],
  }
}

/** Graph.ends for a view: where each edge's ends are among its nodes. */
function endsOf(view: { nodes: readonly { id: string }[]; edges: readonly { source: string; target: string }[] }): Int32Array {
  const at = new Map(view.nodes.map((node, i) => [node.id, i]))
  return Int32Array.from(view.edges.flatMap((e) => [at.get(e.source)!, at.get(e.target)!]))
}

describe('edges read by node position', () => {
  const view = randomView(400, 900, 7)
  const ends = endsOf(view)
  const indices = indicesOf(view.nodes.length, view.edges, ends)

  it('are the same indices edgeIndices finds by id', () => {
    expect(indices).toEqual(edgeIndices(view))
  })

  it('give the same ranked lists and bridges', () => {
    const m = measure(view)
    expect(measureLists(view.nodes, view.edges, m, 20, indices)).toEqual(measureLists(view.nodes, view.edges, m, 20))
    expect(measureLists(view.nodes, view.edges, m, 20).bridge_edges.length).toBeGreaterThan(0)
  })

  it('give the same clusters, closed and with a group open', () => {
    const label = (by: string, value: string | null) => `${by} ${value}`
    const closed = clusterView(view.nodes, view.edges, 'community', new Set(), label)
    expect(clusterView(view.nodes, view.edges, 'community', new Set(), label, indices)).toEqual(closed)
    const open = new Set([closed.nodes.find((node) => node.type === 'cluster' && node.id !== 'cluster:isolated')!.id])
    const opened = clusterView(view.nodes, view.edges, 'community', open, label)
    expect(clusterView(view.nodes, view.edges, 'community', open, label, indices)).toEqual(opened)
    expect(opened.nodes.some((node) => node.type !== 'cluster')).toBe(true)
    expect(opened.edges.some((e) => e.type === 'aggregate')).toBe(true)
  })

  it('make an edge as shown only for the edges shown one by one, and show that one', () => {
    const label = (by: string, value: string | null) => `${by} ${value}`
    const closed = clusterView(view.nodes, view.edges, 'community', new Set(), label)
    const open = new Set([closed.nodes.find((node) => node.type === 'cluster' && node.id !== 'cluster:isolated')!.id])
    const made: number[] = []
    const shown = clusterView(view.nodes, view.edges, 'community', open, label, indices, (k) => {
      made.push(k)
      return { ...view.edges[k]!, bridge: true }
    })
    const oneByOne = shown.edges.filter((e) => e.type !== 'aggregate')
    expect(made.length).toBe(oneByOne.length)
    expect(made.length).toBeGreaterThan(0)
    expect(made.length).toBeLessThan(view.edges.length / 2)
    expect(oneByOne.every((e) => 'bridge' in e && e.bridge === true)).toBe(true)
    expect(oneByOne.map((e) => e.id)).toEqual(made.map((k) => view.edges[k]!.id))
  })

  it('give the same layout', () => {
    const ids = view.nodes.map((node) => node.id)
    expect(forceAtlas2Positions({ ids, indices: indicesOf(ids.length, view.edges, ends) }, 20)).toEqual(forceAtlas2Positions(view, 20))
  })
})

describe('an assembled graph', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
    const editor = await t.apiToken('editor')
    const post = async (path: string, body: Record<string, unknown>) => (await (await t.request(path, jsonRequest('POST', body, editor.headers))).json()).id as string
    const kommun = await post('/api/v1/organisations', { name: 'Lägeskommun', kind: 'municipality' })
    const region = await post('/api/v1/organisations', { name: 'Lägesregionen', kind: 'region' })
    await post('/api/v1/organisation-relationships', { from_organisation_id: kommun, to_organisation_id: region, type: 'partner_of' })
    await post('/api/v1/contacts', { first_name: 'Lisa', last_name: 'Lägesson', affiliations: [{ organisation_id: region }] })
  })
  afterAll(() => t.close())

  it('knows where each edge ends among its nodes, in one snapshot and in turns', async () => {
    const at = new Date().toISOString().slice(0, 10)
    for (const inTurns of [false, true]) {
      const graph = await assembleGraph(t.db, { at, types: ['organisation', 'contact', 'alliance', 'body', 'project', 'theme'], inTurns })
      expect(graph.edges.length).toBeGreaterThanOrEqual(2)
      expect(graph.ends).toEqual(endsOf(graph))
    }
  })
})
