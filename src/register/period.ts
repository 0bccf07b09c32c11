/**
 * Dated links (affiliations, seats, relationships) have a period: a start and an end day
 * ('YYYY-MM-DD'), either open (null). Both ends are inclusive: a seat ending 2024-06-30 is
 * still held that day. The SQL side of the same rule is in src/network/edges-at.ts.
 */
export interface Period {
  start_date: string | null
  end_date: string | null
}

/** Whether the period includes `day`. */
export function validOn(p: Period, day: string): boolean {
  return (!p.start_date || p.start_date <= day) && (!p.end_date || p.end_date >= day)
}

/** Whether two periods share at least one day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  return (!a.start_date || !b.end_date || a.start_date <= b.end_date) && (!b.start_date || !a.end_date || b.start_date <= a.end_date)
}

/** Current (valid on `day`), upcoming (starting after it) and past (ended before it). */
export function byPeriod<T extends Period>(list: readonly T[], day: string): { current: T[]; upcoming: T[]; past: T[] } {
  return {
    current: list.filter((p) => validOn(p, day)),
    upcoming: list.filter((p) => !!p.start_date && p.start_date > day),
    past: list.filter((p) => !!p.end_date && p.end_date < day),
  }
}
