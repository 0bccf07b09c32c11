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
    const { points, plot } = layoutMap(many)
    // Cell (interest 4, influence 4); a diamond reaches 1.15 r from its centre.
    const [left, top] = [plot.x + 3 * plot.cell, plot.y + plot.cell]
    for (const [i, a] of points.entries()) {
      const reach = a.r * 1.15
      expect(a.x - reach).toBeGreaterThanOrEqual(left)
      expect(a.x + reach).toBeLessThanOrEqual(left + plot.cell)
      expect(a.y - reach).toBeGreaterThanOrEqual(top)
      expect(a.y + reach).toBeLessThanOrEqual(top + plot.cell)
      for (const b of points.slice(i + 1)) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(2 * reach)
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
