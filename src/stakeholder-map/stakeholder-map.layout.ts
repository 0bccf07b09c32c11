import type { MapPoint } from './stakeholder-map.repo.ts'

/**
 * The power/interest grid drawn as SVG: interest 1–5 to the right, influence 1–5 upwards, one
 * cell per pair of scores. High is 3–5, low 1–2, so the quadrant lines fall between 2 and 3.
 * Everything is computed here, so the template only writes out numbers.
 */
export const QUADRANTS = ['manage', 'satisfy', 'inform', 'monitor'] as const
export type Quadrant = (typeof QUADRANTS)[number]

export function quadrantOf(influence: number, interest: number): Quadrant {
  const highInfluence = influence >= 3
  const highInterest = interest >= 3
  if (highInfluence) return highInterest ? 'manage' : 'satisfy'
  return highInterest ? 'inform' : 'monitor'
}

const CELL = 100
const LEFT = 64
const TOP = 30
const PLOT = CELL * 5
const PAD = 8
const MAX_R = 7

export const WIDTH = LEFT + PLOT + 12
export const HEIGHT = TOP + PLOT + 56

export interface PlacedPoint extends MapPoint {
  influence: number
  interest: number
  quadrant: Quadrant
  x: number
  y: number
  r: number
  /** The diamond drawn for a person, as SVG polygon points. */
  diamond: string
}

export interface QuadrantArea {
  key: Quadrant
  x: number
  y: number
  width: number
  height: number
  /** Outside the plot (above it or below it), so that no label covers a dot. */
  labelX: number
  labelY: number
  anchor: 'start' | 'end'
}

export interface MapLayout {
  width: number
  height: number
  plot: { x: number; y: number; size: number; cell: number }
  quadrants: QuadrantArea[]
  ticks: { value: number; x: number; y: number }[]
  points: PlacedPoint[]
  byQuadrant: Record<Quadrant, PlacedPoint[]>
  missing: MapPoint[]
}

const round = (n: number) => Math.round(n * 10) / 10

/** Organisations before people, then by Swedish name and id: the same input always lands in the same spot. */
function byTypeAndName(a: MapPoint, b: MapPoint): number {
  if (a.type !== b.type) return a.type === 'organisation' ? -1 : 1
  return a.sort_name < b.sort_name ? -1 : a.sort_name > b.sort_name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The points of one cell on a square grid inside it, centred, spaced so that no two overlap. */
function placeInCell(points: MapPoint[], influence: number, interest: number): PlacedPoint[] {
  const cols = Math.ceil(Math.sqrt(points.length))
  const rows = Math.ceil(points.length / cols)
  const step = (CELL - 2 * PAD) / Math.max(cols, rows)
  const r = round(Math.min(MAX_R, step * 0.42))
  const cx = LEFT + (interest - 1) * CELL + CELL / 2
  const cy = TOP + (5 - influence) * CELL + CELL / 2
  return points.map((p, i) => {
    const x = round(cx + ((i % cols) - (cols - 1) / 2) * step)
    const y = round(cy + (Math.floor(i / cols) - (rows - 1) / 2) * step)
    // Half a diagonal of 1.15 r stays under half a step, so diamonds side by side never touch.
    const d = round(r * 1.15)
    return {
      ...p, influence, interest, quadrant: quadrantOf(influence, interest), x, y, r,
      diamond: `${x},${round(y - d)} ${round(x + d)},${y} ${x},${round(y + d)} ${round(x - d)},${y}`,
    }
  })
}

export function layoutMap(all: MapPoint[]): MapLayout {
  const cells = new Map<string, MapPoint[]>()
  const missing: MapPoint[] = []
  for (const p of all) {
    if (p.influence == null || p.interest == null) {
      missing.push(p)
      continue
    }
    const key = `${p.influence}|${p.interest}`
    cells.set(key, [...(cells.get(key) ?? []), p])
  }
  const points: PlacedPoint[] = []
  for (const [key, list] of [...cells].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [influence, interest] = key.split('|').map(Number) as [number, number]
    points.push(...placeInCell(list.sort(byTypeAndName), influence, interest))
  }
  const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, [] as PlacedPoint[]])) as Record<Quadrant, PlacedPoint[]>
  for (const p of [...points].sort(byTypeAndName)) byQuadrant[p.quadrant].push(p)

  const low = 2 * CELL
  const high = 3 * CELL
  const area = (key: Quadrant, x: number, y: number, width: number, height: number, right: boolean): QuadrantArea => ({
    key, x, y, width, height,
    labelX: right ? x + width : x,
    labelY: y === TOP ? TOP - 10 : TOP + PLOT + 46,
    anchor: right ? 'end' : 'start',
  })
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: { x: LEFT, y: TOP, size: PLOT, cell: CELL },
    quadrants: [
      area('satisfy', LEFT, TOP, low, high, false),
      area('manage', LEFT + low, TOP, high, high, true),
      area('monitor', LEFT, TOP + high, low, low, false),
      area('inform', LEFT + low, TOP + high, high, low, true),
    ],
    ticks: [1, 2, 3, 4, 5].map((value) => ({ value, x: LEFT + (value - 0.5) * CELL, y: TOP + (5.5 - value) * CELL })),
    points,
    byQuadrant,
    missing: missing.sort(byTypeAndName),
  }
}
