import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { changedActivities, coParticipationId, derivedParts, type KeptCoParticipation } from '../../src/network/co-participation.ts'
import type { NetEdge } from '../../src/network/graph.service.ts'

// Co-participation's links kept and changed activity by activity (changedActivities) must be the
// links a fresh read gives for the activities' organisations after the change: the same pairs in
// the same order (by source, then target), each with its activities in order and their number.
const ORGS = ['0a', '1b', '2c', '3d', '4e', '5f', '6a', '7b'].map((p) => `${p}000000-0000-4000-8000-000000000000`)
const ACTIVITIES = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'].map((p) => `${p}000000-0000-4000-8000-00000000000a`)

/** The links a fresh read gives (coParticipationEdges' rule), from each activity's organisations. */
function read(orgsOf: ReadonlyMap<string, readonly string[]>): NetEdge[] {
  const pairs = new Map<string, string[]>()
  for (const [activity, orgs] of orgsOf) {
    const set = [...new Set(orgs)].sort()
    for (let i = 0; i < set.length; i++) {
      for (let j = i + 1; j < set.length; j++) {
        const key = `${set[i]} ${set[j]}`
        pairs.set(key, [...(pairs.get(key) ?? []), activity])
      }
    }
  }
  return [...pairs.keys()].sort().map((key) => {
    const [a, b] = key.split(' ') as [string, string]
    const activities = pairs.get(key)!.sort()
    return { id: coParticipationId(a, b), source: a, target: b, type: 'co_participation', weight: activities.length, activity_ids: activities }
  })
}

const assignment = fc.dictionary(fc.constantFrom(...ACTIVITIES), fc.array(fc.constantFrom(...ORGS), { maxLength: 6 }), { maxKeys: ACTIVITIES.length })

describe('co-participation changed activity by activity', () => {
  it('gives the links read afresh, and where each kept pair was', async () => {
    await fc.assert(
      fc.asyncProperty(assignment, fc.array(assignment, { minLength: 1, maxLength: 4 }), async (first, changes) => {
        const state = new Map(Object.entries(first))
        let kept: KeptCoParticipation = { edges: read(state), snapshot: '1:1:' }
        for (const change of changes) {
          const orgs = new Map(Object.entries(change))
          const before = kept.edges
          kept = await changedActivities(kept, orgs, '2:2:')
          for (const [activity, now] of orgs) state.set(activity, now)
          expect(kept.edges).toEqual(read(state))
          // No pair changed: the very links kept.
          if (JSON.stringify(before) === JSON.stringify(kept.edges)) {
            expect(kept.edges).toBe(before)
            continue
          }
          // Every link kept points at the same pair before; a link not concerned is the very object.
          const { from, index } = derivedParts.get(kept.edges)!
          expect(from).toBe(before)
          kept.edges.forEach((e, k) => {
            const j = index[k]!
            if (j < 0) expect(before.some((b) => b.id === e.id)).toBe(false)
            else {
              expect(before[j]!.id).toBe(e.id)
              const concerned = [...orgs.keys()].some((a) => before[j]!.activity_ids!.includes(a) || e.activity_ids!.includes(a))
              if (!concerned) expect(e).toBe(before[j])
            }
          })
        }
      }),
      { numRuns: 300 },
    )
  })
})
