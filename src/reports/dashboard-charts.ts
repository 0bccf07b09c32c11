import { TYPES } from '../activities/activities.schema.ts'
import { STATUSES as ALLIANCE_STATUSES } from '../alliances/alliances.schema.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import { COUNTED, versionedOrLast } from '../db/data-version.ts'
import type { Plan } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { letOthersIn } from '../db/turns.ts'
import { percentReached, progressCounts, type ProgressCount } from '../plans/plan-progress.ts'
import { currentPlans } from '../plans/plans.repo.ts'
import { COUNTIES } from '../register/counties.ts'
import { isMessageKey, type Lang, type Translate } from '../web/i18n.ts'
import { barChart, lastMonths, stackedChart, type BarItem } from './charts.ts'
import { activitiesPerMonth, alliancesByStatus, reach, type Count } from './reports.repo.ts'

const label = (t: Translate, key: string) => (isMessageKey(key) ? t(key) : key)

/** Counts in a fixed order (categories, counties …), leaving out the empty ones. */
export function ordered(counts: readonly Count[], keys: readonly (string | null)[], name: (key: string | null) => string): BarItem[] {
  return keys.flatMap((key) => {
    const n = counts.find((c) => c.key === key)?.n ?? 0
    return n > 0 ? [{ key: key ?? 'none', label: name(key), value: n }] : []
  })
}

export const categoryItems = (counts: readonly Count[], t: Translate) =>
  ordered(counts, [...CATEGORIES, 'none'], (k) => (k === 'none' ? t('chart.no_category') : label(t, `category.${k}`)))

export const countyItems = (counts: readonly Count[], t: Translate) =>
  ordered(counts, [...COUNTIES, null], (k) => k ?? t('chart.no_county'))

/** Activities per month by type: the month labels and one series per type (the stacked chart's input). */
export function monthSeries(months: readonly string[], perMonth: readonly { month: string; type: string; n: number }[], t: Translate, lang: Lang) {
  const monthName = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { month: 'short', timeZone: 'UTC' })
  // Across a new year the year is told too ("jan 26").
  const years = new Set(months.map((m) => m.slice(0, 4))).size
  const labels = months.map((m) => monthName.format(new Date(`${m}-15T00:00:00Z`)).replace('.', '') + (years > 1 && months.length > 12 ? ` ${m.slice(2, 4)}` : ''))
  const series = TYPES.map((type) => ({
    key: type,
    label: label(t, `activity.type.${type}`),
    values: months.map((m) => perMonth.find((r) => r.month === m && r.type === type)?.n ?? 0),
  }))
  return { labels, series }
}

/**
 * The plans' progress counts a target at a time: plans with the same target in one statement
 * (they share its resolution), each other target in a statement of its own, others' requests in
 * between. Together they were one statement of 1.5 s at 50 000 contacts.
 */
async function targetByTarget(db: Executor, plans: readonly Plan[], today: string): Promise<Map<string, ProgressCount>> {
  const byTarget = new Map<string, string[]>()
  for (const p of plans) {
    const key = JSON.stringify(p.target)
    byTarget.set(key, [...(byTarget.get(key) ?? []), p.id])
  }
  const out = new Map<string, ProgressCount>()
  for (const ids of byTarget.values()) {
    await letOthersIn()
    for (const [id, count] of await progressCounts(db, ids, today)) out.set(id, count)
  }
  return out
}

/**
 * The dashboard's charts: the last twelve months of activities and reach, plans and alliances now.
 * The figures are the same for every reader and language, and are counts (and plan names) only:
 * cached per data version (of what they count: COUNTED), and where counting takes long (a large register after a write), the
 * last figures are shown, marked, while they are counted again (`current: false`, versionedOrLast).
 * `opts.current` waits for the current figures. `opts.inTurns` (the embedded engine) counts them
 * statement by statement, the plans one at a time, so that nobody else's request waits for the
 * whole count (about a second at 50 000 contacts; bench/README.md).
 */
export async function dashboardCharts(db: Executor, today: string, t: Translate, lang: Lang, opts: { current?: boolean; inTurns?: boolean } = {}) {
  const months = lastMonths(today, 12)
  const period = { from: `${months[0]}-01`, to: today }
  const figures = await versionedOrLast(db, `dashboard-charts ${today}`, async (tx) => {
    const perMonth = await activitiesPerMonth(tx, period)
    const reached = await reach(tx, period, today, { organisations: false })
    // Names and counts only: the last figures are kept past later writes (versionedOrLast), so no
    // more of a plan than its name (its target may list people).
    const current = await currentPlans(tx, 20)
    const plans = current.map((p) => ({ id: p.id, name: p.name }))
    const counts = opts.inTurns ? await targetByTarget(tx, current, today) : await progressCounts(tx, plans.map((p) => p.id), today)
    const alliances = await alliancesByStatus(tx)
    return { perMonth, reached, plans, counts, alliances }
  }, { current: opts.current, inTurns: opts.inTurns, scope: COUNTED })
  const { perMonth, reached, plans, counts, alliances } = figures.value

  const { labels: monthLabels, series } = monthSeries(months, perMonth, t, lang)
  const planItems: BarItem[] = plans.map((p) => {
    const c = counts.get(p.id)!
    return { key: p.id, label: p.name, value: percentReached(c), text: t('plan.progress_of', { reached: c.reached_count, total: c.target_count }) }
  })
  const allianceItems = ordered(alliances, ALLIANCE_STATUSES, (k) => label(t, `alliance.status.${k}`))
  return {
    current: figures.current,
    asOf: figures.asOf,
    period,
    months,
    activities: stackedChart(monthLabels, series),
    reachTotal: reached.contacts,
    reachByCategory: barChart(categoryItems(reached.byCategory, t)),
    reachByCounty: barChart(countyItems(reached.byCounty, t)),
    plans: barChart(planItems, { max: 100 }),
    plansList: plans.map((p) => ({ id: p.id, name: p.name })),
    alliances: barChart(allianceItems),
    allianceTotal: alliances.reduce((n, c) => n + c.n, 0),
  }
}
