/**
 * Chart geometry for server-rendered SVG: pure functions from numbers to shapes, drawn by
 * views/reports/_bar-chart.eta and _stacked-chart.eta. Colours come from CSS classes
 * (series-N), never inline styles; every chart's numbers are shown as a table too.
 */

/** The smallest "nice" number (1, 2 or 5 × 10ⁿ) at or above `max`, and at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

/** Evenly spaced axis values from 0 to `top` (a nice number): 0, top/n … top, integers only. */
export function ticks(top: number, count = 4): number[] {
  const step = Math.max(1, Math.ceil(top / count))
  const out: number[] = []
  for (let v = 0; v <= top; v += step) out.push(v)
  return out
}

const round = (x: number) => Math.round(x * 10) / 10

export interface BarItem {
  key: string
  label: string
  value: number
  /** Shown after the bar instead of the value ("12 av 21"). */
  text?: string
}

export interface BarChart {
  width: number
  height: number
  labelWidth: number
  rows: { key: string; label: string; value: number; text: string; y: number; barWidth: number; textX: number; textY: number }[]
  rowHeight: number
  max: number
}

/** The gap before a bar's text, and the width of one character of it (14 px, digits the widest), in the chart's units. */
const TEXT_GAP = 6
const CHAR_WIDTH = 9
const AXIS_CHAR_WIDTH = 8.5

/** Room for a text of `chars` characters after its gap, at least `least`. */
const roomFor = (chars: number, charWidth: number, least: number) => Math.max(least, Math.ceil(TEXT_GAP + charWidth * chars) + 4)

/** Horizontal bars, one row per item, scaled to `max` (default: the largest value, made nice). */
export function barChart(items: readonly BarItem[], opts: { width?: number; labelWidth?: number; rowHeight?: number; max?: number } = {}): BarChart {
  const width = opts.width ?? 480
  const labelWidth = opts.labelWidth ?? 170
  const rowHeight = opts.rowHeight ?? 28
  // Room after the longest bar for the longest text: "7263 av 7263" was cut off at the edge.
  const texts = items.map((item) => item.text ?? String(item.value))
  const textSpace = roomFor(Math.max(0, ...texts.map((t) => t.length)), CHAR_WIDTH, 90)
  const max = opts.max ?? niceMax(Math.max(0, ...items.map((i) => i.value)))
  const plot = width - labelWidth - textSpace
  const rows = items.map((item, i) => {
    const barWidth = round(max > 0 ? (Math.max(0, item.value) / max) * plot : 0)
    return {
      key: item.key,
      label: item.label,
      value: item.value,
      text: texts[i]!,
      y: i * rowHeight + 4,
      barWidth,
      textX: round(labelWidth + barWidth + TEXT_GAP),
      textY: i * rowHeight + rowHeight / 2 + 5,
    }
  })
  return { width, height: Math.max(rowHeight, items.length * rowHeight + 8), labelWidth, rows, rowHeight: rowHeight - 8, max }
}

export interface Series {
  key: string
  label: string
  /** One value per category (x position). */
  values: number[]
}

export interface StackedChart {
  width: number
  height: number
  plotTop: number
  plotBottom: number
  plotLeft: number
  max: number
  yTicks: { value: number; y: number }[]
  columns: {
    label: string
    total: number
    x: number
    width: number
    labelX: number
    /** Where the column's total is written, above it. */
    totalY: number
    /** `labelY`: the value written inside the segment, when it has room (`labelled`). */
    segments: { series: string; index: number; hatch: Hatch; value: number; y: number; height: number; labelY: number; labelled: boolean }[]
  }[]
  /** Only the series with a value somewhere, with their class index. */
  legend: { key: string; label: string; index: number; hatch: Hatch }[]
}

/**
 * Stacked columns: one column per category (months), one segment per series (types). A series
 * is told apart by its pattern as well as its colour (`hatch`), each segment carries its value
 * when it has room and each column its total, so the chart reads in black and white too.
 */
export function stackedChart(categories: readonly string[], series: readonly Series[], opts: { width?: number; height?: number } = {}): StackedChart {
  const width = opts.width ?? 480
  const height = opts.height ?? 240
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
  const max = niceMax(Math.max(0, ...totals))
  // Room left of the axis for its longest value (13 px): "2000" lost its first digit in 34.
  const plotLeft = roomFor(String(max).length, AXIS_CHAR_WIDTH, 34)
  // Room above the tallest column for its total.
  const plotTop = 20
  const plotBottom = height - 28
  const plotHeight = plotBottom - plotTop
  const slot = categories.length ? (width - plotLeft - 4) / categories.length : 0
  const barWidth = round(slot * 0.7)
  const columns = categories.map((label, i) => {
    const x = round(plotLeft + i * slot + (slot - barWidth) / 2)
    let top = plotBottom
    const segments = series.flatMap((s, index) => {
      const value = s.values[i] ?? 0
      if (value <= 0) return []
      const h = round((value / max) * plotHeight)
      top = round(top - h)
      return [{ series: s.key, index, hatch: hatch(index), value, y: top, height: h, labelY: round(top + h / 2 + 4), labelled: h >= 13 && barWidth >= 16 }]
    })
    return { label, total: totals[i]!, x, width: barWidth, labelX: round(x + barWidth / 2), totalY: round(top - 4), segments }
  })
  return {
    width,
    height,
    plotTop,
    plotBottom,
    plotLeft,
    max,
    yTicks: ticks(max).map((value) => ({ value, y: round(plotBottom - (value / max) * plotHeight) })),
    columns,
    legend: series.flatMap((s, index) => (s.values.some((v) => v > 0) ? [{ key: s.key, label: s.label, index, hatch: hatch(index) }] : [])),
  }
}

/** The patterns that tell series apart without colour (views/reports/_chart-patterns.eta), by series index. */
export const HATCHES = ['solid', 'diagonal', 'dots', 'horizontal', 'back-diagonal', 'cross', 'vertical'] as const
export type Hatch = (typeof HATCHES)[number]
export const hatch = (index: number): Hatch => HATCHES[index % HATCHES.length]!

/** The `n` months ending with the month of `today` (YYYY-MM-DD), oldest first, as YYYY-MM. */
export function lastMonths(today: string, n = 12): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const out: string[] = []
  for (let i = n - 1; i >= 0; i--) {
    const total = y * 12 + (m - 1) - i
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`)
  }
  return out
}
