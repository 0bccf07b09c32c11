import { describe, expect, it } from 'vitest'
import { layoutMap, quadrantOf } from '../../src/stakeholder-map/stakeholder-map.layout.ts'
import type { MapPoint } from '../../src/stakeholder-map/stakeholder-map.repo.ts'

const point = (i: number, type: MapPoint['type'] = 'organisation'): MapPoint => ({
  type, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Nr ${i}`, sort_name: `nr ${String(i).padStart(3, '0')}`, influence: 4, interest: 4,
})

describe('the stakeholder map layout', () => {
  it('splits high (3–5) from low (1–2) on both axes', () => {
    expect(quadrantOf(5, 5)).toBe('manage')
    expect(quadrantOf(3, 3)).toBe('manage')
    expect(quadrantOf(3, 2)).toBe('satisfy')
    expect(quadrantOf(2, 3)).toBe('inform')
    expect(quadrantOf(1, 1)).toBe('monitor')
  })

  it('spreads records with the same scores so that no two dots overlap, all inside their cell', () => {
    const many = Array.from({ length: 40 }, (_, i) => point(i, i % 3 ? 'organisation' : 'contact'))
    const { points } = layoutMap(many)
    for (const [i, a] of points.entries()) {
      // Cell (interest 4, influence 4): x 364–464, y 112–212.
      expect(a.x - a.r).toBeGreaterThanOrEqual(364)
      expect(a.x + a.r).toBeLessThanOrEqual(464)
      expect(a.y - a.r).toBeGreaterThanOrEqual(112)
      expect(a.y + a.r).toBeLessThanOrEqual(212)
      for (const b of points.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(2 * a.r)
    }
  })

  it('places the same records in the same spots whatever order they come in', () => {
    const list = Array.from({ length: 9 }, (_, i) => point(i))
    const at = (ps: MapPoint[]) => layoutMap(ps).points.map((p) => `${p.id}@${p.x},${p.y}`).sort()
    expect(at([...list].reverse())).toEqual(at(list))
  })

  it('keeps records without both scores off the map', () => {
    const layout = layoutMap([point(1), { ...point(2), interest: null }, { ...point(3), influence: null, interest: null }])
    expect(layout.points).toHaveLength(1)
    expect(layout.missing.map((p) => p.name)).toEqual(['Nr 2', 'Nr 3'])
  })
})
