import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NetEdge, NetNode } from '../../src/network/graph.service.ts'
import { foldPeople } from '../../src/network/view.ts'

// People folded into their organisations by their links' ends (positions among the nodes, as the
// graph's `ends`) must fold exactly as by id: the same nodes with the same counts, the same links,
// and the ends of what is kept pointing at the kept nodes.
const graphs = fc
  .record({
    orgs: fc.integer({ min: 1, max: 6 }),
    people: fc.integer({ min: 0, max: 10 }),
    links: fc.array(fc.tuple(fc.nat(40), fc.nat(40), fc.constantFrom('affiliation', 'co_participation', 'body_seat')), { maxLength: 40 }),
    open: fc.array(fc.nat(40), { maxLength: 3 }),
  })
  .map(({ orgs, people, links, open }) => {
    const nodes: NetNode[] = [
      ...Array.from({ length: orgs }, (_, i) => ({ id: `o${i}`, type: 'organisation' as const, label: `O${i}` })),
      ...Array.from({ length: people }, (_, i) => ({ id: `p${i}`, type: 'contact' as const, label: `P${i}` })),
    ]
    const n = nodes.length
    const edges: NetEdge[] = links.map(([a, b, type], k) => ({ id: `e${k}`, source: nodes[a % n]!.id, target: nodes[b % n]!.id, type: type as NetEdge['type'], weight: 1 }))
    const position = new Map(nodes.map((x, i) => [x.id, i]))
    const ends = Int32Array.from(edges.flatMap((e) => [position.get(e.source)!, position.get(e.target)!]))
    return { nodes, edges, ends, open: new Set(open.map((i) => nodes[i % n]!.id)) }
  })

describe('people folded into their organisations', () => {
  it('fold by their links’ ends exactly as by id', () => {
    fc.assert(
      fc.property(graphs, ({ nodes, edges, ends, open }) => {
        const byId = foldPeople(nodes, edges, open)
        const byEnds = foldPeople(nodes, edges, open, ends)
        expect(byEnds.nodes).toEqual(byId.nodes)
        expect(byEnds.edges).toEqual(byId.edges)
        byEnds.edges.forEach((e, k) => {
          expect(byEnds.nodes[byEnds.ends![2 * k]!]!.id).toBe(e.source)
          expect(byEnds.nodes[byEnds.ends![2 * k + 1]!]!.id).toBe(e.target)
        })
      }),
      { numRuns: 500 },
    )
  })

  it('counts a person once on each organisation and folds them unless one of theirs is open', () => {
    const nodes: NetNode[] = [
      { id: 'kommun', type: 'organisation', label: 'Kalmar kommun' },
      { id: 'region', type: 'organisation', label: 'Region Kalmar län' },
      { id: 'tove', type: 'contact', label: 'Tove Delsson' },
      { id: 'pelle', type: 'contact', label: 'Pelle Delsson' },
    ]
    const edges: NetEdge[] = [
      { id: 'a1', source: 'tove', target: 'kommun', type: 'affiliation', weight: 1 },
      { id: 'a2', source: 'tove', target: 'kommun', type: 'affiliation', weight: 1 },
      { id: 'a3', source: 'pelle', target: 'kommun', type: 'affiliation', weight: 1 },
      { id: 'a4', source: 'pelle', target: 'region', type: 'affiliation', weight: 1 },
    ]
    const ends = Int32Array.from([2, 0, 2, 0, 3, 0, 3, 1])
    const folded = foldPeople(nodes, edges, new Set(['region']), ends)
    expect(folded.nodes.map((n) => [n.id, (n as NetNode & { people?: number }).people])).toEqual([['kommun', 2], ['region', 1], ['pelle', undefined]])
    expect(folded.edges.map((e) => e.id)).toEqual(['a3', 'a4'])
    expect([...folded.ends!]).toEqual([2, 0, 2, 1])
  })
})
