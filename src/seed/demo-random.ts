/**
 * A small seeded PRNG (mulberry32) and date arithmetic on 'YYYY-MM-DD' strings. The demo data
 * must come out the same on every machine and every day, so nothing here reads the clock.
 */
export interface Random {
  next(): number
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(list: readonly T[]): T
  weighted<T>(list: readonly (readonly [T, number])[]): T
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)]!,
    weighted: (list) => {
      const total = list.reduce((s, [, w]) => s + w, 0)
      let r = next() * total
      for (const [value, w] of list) {
        r -= w
        if (r < 0) return value
      }
      return list[list.length - 1]![0]
    },
  }
}

const DAY = 86_400_000

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY)
}

/** A day between `from` and `to`, both included. */
export function dayBetween(rnd: Random, from: string, to: string): string {
  return addDays(from, rnd.int(0, Math.max(0, daysBetween(from, to))))
}
