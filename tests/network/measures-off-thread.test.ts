import { describe, expect, it } from 'vitest'
import { measureOffThread } from '../../src/network/measures-off-thread.ts'
import { measure, seededRandom } from '../../src/network/measures.ts'

/** A random view of `n` people and organisations, with weighted links and a few to nodes outside it. */
function view(n: number, links: number) {
  const rng = seededRandom(n)
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `node-${i}` }))
  const edges = Array.from({ length: links }, (_, k) => ({
    source: `node-${Math.floor(rng() * n)}`,
    target: k % 97 === 0 ? 'outside' : `node-${Math.floor(rng() * n)}`,
    weight: 1 + Math.floor(rng() * 3),
  }))
  return { nodes, edges }
}

describe('a large view is measured off the event loop', () => {
  it('with the same numbers as in place', async () => {
    // Over the exact-betweenness limit (3 000): the sampled sources must be the same ones too.
    const g = view(3500, 9000)
    const here = measure(g)
    const there = await measureOffThread(g, 1000)
    expect(Array.from(there.degree)).toEqual(Array.from(here.degree))
    expect(Array.from(there.betweenness)).toEqual(Array.from(here.betweenness))
    expect(Array.from(there.community)).toEqual(Array.from(here.community))
    expect(there.communityCount).toBe(here.communityCount)
    expect(there.sampled).toBe(here.sampled)
    expect(here.sampled).toBe(true)
  })

  it('while the server goes on answering: timers run during it', { timeout: 60_000 }, async () => {
    const g = view(40_000, 120_000)
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const started = performance.now()
    try {
      await measureOffThread(g)
    } finally {
      clearInterval(timer)
    }
    const elapsed = performance.now() - started
    // In place, no timer could fire until it was done; off the loop, about one per 10 ms.
    expect(elapsed).toBeGreaterThan(200)
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4)
  })
})

describe('the measures of a large view', () => {
  it('are not computed again for the very same links, and are for a link changed', async () => {
    // After an edit of a name or a phone number the whole register's links are the same: 0.8–1 s of two workers each time.
    const g = view(6000, 15_000)
    const first = await measureOffThread(g)
    expect(await measureOffThread({ nodes: g.nodes.map((n) => ({ ...n })), edges: g.edges.map((e) => ({ ...e })) })).toBe(first)
    const heavier = { nodes: g.nodes, edges: g.edges.map((e, k) => (k === 5 ? { ...e, weight: e.weight + 7 } : e)) }
    const again = await measureOffThread(heavier)
    expect(again).not.toBe(first)
    expect(Array.from(again.betweenness)).toEqual(Array.from(measure(heavier).betweenness))
    const fewer = { nodes: g.nodes, edges: g.edges.slice(1) }
    expect(Array.from((await measureOffThread(fewer)).degree)).toEqual(Array.from(measure(fewer).degree))
  }, 60_000)
})

