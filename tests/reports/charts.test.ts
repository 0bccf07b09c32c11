import { describe, expect, it } from 'vitest'
import { barChart, lastMonths, niceMax, stackedChart, ticks } from '../../src/reports/charts.ts'

describe('chart helpers', () => {
  it('rounds an axis maximum up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 12, 20, 21, 480, 501].map(niceMax)).toEqual([1, 1, 5, 10, 20, 20, 50, 500, 1000])
  })

  it('spaces axis ticks evenly in whole numbers from zero to the top', () => {
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20])
    expect(ticks(2)).toEqual([0, 1, 2])
  })

  it('scales horizontal bars to the largest value and keeps each row’s text', () => {
    const c = barChart([{ key: 'a', label: 'Praktiker', value: 10 }, { key: 'b', label: 'Beslutsfattare', value: 5, text: '5 av 8' }], { width: 600, labelWidth: 200 })
    const plot = 600 - 200 - 90
    expect(c.max).toBe(10)
    expect(c.rows.map((r) => r.barWidth)).toEqual([plot, plot / 2])
    expect(c.rows[1]!.text).toBe('5 av 8')
    expect(c.rows[1]!.y).toBeGreaterThan(c.rows[0]!.y)
  })

  it('leaves room after the longest bar for the longest text', () => {
    const c = barChart([{ key: 'p', label: 'Plan 1', value: 100, text: '7263 av 7263' }, { key: 'q', label: 'Plan 2', value: 12, text: '1294 av 10641' }], { max: 100, width: 480, labelWidth: 170 })
    for (const r of c.rows) expect(r.textX + r.text.length * 9).toBeLessThanOrEqual(c.width)
  })

  it('leaves room left of the axis for its largest value', () => {
    const c = stackedChart(['2026-01'], [{ key: 'seminar', label: 'Seminarium', values: [1176] }])
    expect(c.max).toBe(2000)
    // The axis text ends 6 units left of the plot (views/reports/_stacked-chart.eta).
    expect(c.plotLeft - 6 - String(c.max).length * 8.5).toBeGreaterThanOrEqual(0)
  })

  it('draws no bar for zero and scales to a given maximum (percent)', () => {
    const c = barChart([{ key: 'p', label: 'Plan', value: 0 }, { key: 'q', label: 'Plan 2', value: 50 }], { max: 100, width: 490, labelWidth: 200 })
    expect(c.rows.map((r) => r.barWidth)).toEqual([0, 100])
  })

  it('stacks each column’s segments from the axis up, leaves out zeros, and lists only series in use', () => {
    const c = stackedChart(['2026-01', '2026-02'], [
      { key: 'seminar', label: 'Seminarium', values: [2, 0] },
      { key: 'report', label: 'Rapport', values: [3, 1] },
      { key: 'article', label: 'Artikel', values: [0, 0] },
    ])
    expect(c.max).toBe(5)
    expect(c.columns.map((col) => col.total)).toEqual([5, 1])
    const [first, second] = c.columns
    expect(first!.segments.map((s) => [s.series, s.value])).toEqual([['seminar', 2], ['report', 3]])
    // The first segment sits on the axis; the next one on top of it; a full column reaches the top.
    expect(first!.segments[0]!.y + first!.segments[0]!.height).toBeCloseTo(c.plotBottom, 0)
    expect(first!.segments[1]!.y + first!.segments[1]!.height).toBeCloseTo(first!.segments[0]!.y, 0)
    expect(first!.segments[1]!.y).toBeCloseTo(c.plotTop, 0)
    expect(second!.segments.map((s) => s.series)).toEqual(['report'])
    expect(c.legend.map((l) => [l.key, l.index])).toEqual([['seminar', 0], ['report', 1]])
    // Told apart without colour too: a pattern each, values in the segments with room, totals on top.
    expect(c.legend.map((l) => l.hatch)).toEqual(['solid', 'diagonal'])
    expect(first!.segments.map((s) => s.labelled)).toEqual([true, true])
    expect(first!.totalY).toBeLessThan(first!.segments[1]!.y)
    expect(c.yTicks[0]).toEqual({ value: 0, y: c.plotBottom })
  })

  it('lists the twelve months up to this one, across a new year', () => {
    expect(lastMonths('2026-03-15')).toEqual([
      '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03',
    ])
    expect(lastMonths('2026-01-01', 2)).toEqual(['2025-12', '2026-01'])
  })
})
