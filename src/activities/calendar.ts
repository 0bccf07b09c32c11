/** Calendar arithmetic on YYYY-MM-DD strings, in UTC so no time zone or summer time shifts a day. */

export interface CalendarItem {
  id: string
  title: string
  status: string
  type: string
  start_date: string | null
  end_date: string | null
}

export interface CalendarDay<T> {
  date: string
  day: number
  inMonth: boolean
  isToday: boolean
  items: T[]
}

export interface CalendarWeek<T> {
  /** The ISO 8601 week number, as Swedish calendars show it. */
  week: number
  days: CalendarDay<T>[]
}

export interface MonthGrid<T> {
  month: string
  first: string
  last: string
  prev: string
  next: string
  weeks: CalendarWeek<T>[]
}

const toDate = (day: string) => new Date(`${day}T00:00:00Z`)
const toDay = (d: Date) => d.toISOString().slice(0, 10)

export function addDays(day: string, n: number): string {
  const d = toDate(day)
  d.setUTCDate(d.getUTCDate() + n)
  return toDay(d)
}

/** Monday 0 … Sunday 6: the Swedish week starts on Monday. */
export function weekdayIndex(day: string): number {
  return (toDate(day).getUTCDay() + 6) % 7
}

export function isoWeek(day: string): number {
  // The week belongs to the year of its Thursday.
  const thursday = toDate(addDays(day, 3 - weekdayIndex(day)))
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1)
  return Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1
}

export function monthOf(day: string): string {
  return day.slice(0, 7)
}

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return d.toISOString().slice(0, 7)
}

export function lastDayOf(month: string): string {
  return addDays(`${shiftMonth(month, 1)}-01`, -1)
}

/** The days of the weeks that hold the month, Monday to Sunday, with the items on each day. */
export function monthGrid<T extends Pick<CalendarItem, 'start_date' | 'end_date'>>(month: string, items: readonly T[], today: string): MonthGrid<T> {
  const first = `${month}-01`
  const last = lastDayOf(month)
  const gridStart = addDays(first, -weekdayIndex(first))
  const gridEnd = addDays(last, 6 - weekdayIndex(last))
  const weeks: CalendarWeek<T>[] = []
  for (let day = gridStart; day <= gridEnd; day = addDays(day, 7)) {
    const days: CalendarDay<T>[] = []
    for (let i = 0; i < 7; i++) {
      const date = addDays(day, i)
      days.push({ date, day: Number(date.slice(8)), inMonth: monthOf(date) === month, isToday: date === today, items: itemsOn(items, date) })
    }
    weeks.push({ week: isoWeek(day), days })
  }
  return { month, first, last, prev: shiftMonth(month, -1), next: shiftMonth(month, 1), weeks }
}

/** The items that cover `day`: from their start to their end (or only their start) inclusive. */
export function itemsOn<T extends Pick<CalendarItem, 'start_date' | 'end_date'>>(items: readonly T[], day: string): T[] {
  return items.filter((a) => a.start_date !== null && a.start_date <= day && (a.end_date ?? a.start_date) >= day)
}

export interface AgendaGroup<T> {
  date: string
  items: T[]
}

/** Items grouped by their start date, keeping the order they came in. */
export function groupByDate<T extends Pick<CalendarItem, 'start_date'>>(items: readonly T[]): AgendaGroup<T>[] {
  const groups: AgendaGroup<T>[] = []
  for (const item of items) {
    const date = item.start_date ?? ''
    const group = groups.at(-1)
    if (group && group.date === date) group.items.push(item)
    else groups.push({ date, items: [item] })
  }
  return groups
}
