import { LEVELS, TYPES } from '../activities/activities.schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import type { Executor } from '../db/write.ts'
import { percentReached, progressCounts } from '../plans/plan-progress.ts'
import { COUNTIES } from '../register/counties.ts'
import { isMessageKey, type Lang, type Translate } from '../web/i18n.ts'
import { categoryItems, countyItems, monthSeries, ordered } from './dashboard-charts.ts'
import { lastMonths, stackedChart } from './charts.ts'
import {
  activitiesByTypeAndLevel, activitiesPerMonth, alliancesEnded, alliancesFormed, influenceResults, reach, type Period,
} from './reports.repo.ts'

const label = (t: Translate, key: string) => (isMessageKey(key) ? t(key) : key)

/** Live plans past their draft, with their progress as it stood at the end of the period. */
async function plansAt(db: Executor, p: Period) {
  const plans = await db
    .selectFrom('plans')
    .select(['id', 'name', 'status', 'deadline'])
    .where('deleted_at', 'is', null)
    .where('status', '<>', 'draft')
    .orderBy('sort_name')
    .orderBy('id')
    .limit(500)
    .execute()
  const counts = await progressCounts(db, plans.map((x) => x.id), p.to, p.to)
  return plans.map((x) => {
    const c = counts.get(x.id)!
    return { ...x, ...c, percent: percentReached(c) }
  })
}

/** The months of a period, oldest first, at most the last 24 (a chart of more is unreadable). */
export function periodMonths(p: Period): string[] {
  const index = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1
  return lastMonths(p.to, Math.min(24, index(p.to) - index(p.from) + 1))
}

/** Everything the period report shows, in the order it shows it. */
export async function periodReport(db: Executor, p: Period, t: Translate, lang: Lang) {
  // One after another: the embedded database has one connection anyway.
  const byTypeLevel = await activitiesByTypeAndLevel(db, p)
  const months = periodMonths(p)
  const perMonth = await activitiesPerMonth(db, p, { doneOnly: true })
  const reached = await reach(db, p, p.to)
  const plans = await plansAt(db, p)
  const formed = await alliancesFormed(db, p)
  const ended = await alliancesEnded(db, p)
  const influence = await influenceResults(db, p)

  const levels: (string | null)[] = [...LEVELS, null]
  const n = (type: string, level: string | null) => byTypeLevel.find((r) => r.type === type && r.level === level)?.n ?? 0
  const activityRows = TYPES.map((type) => ({
    type,
    label: label(t, `activity.type.${type}`),
    cells: levels.map((level) => n(type, level)),
    total: levels.reduce((sum, level) => sum + n(type, level), 0),
  })).filter((r) => r.total > 0)
  const activities = {
    levels: levels.map((level) => ({ key: level ?? 'none', label: level ? label(t, `activity.level.${level}`) : t('report.level_none') })),
    rows: activityRows,
    levelTotals: levels.map((_, i) => activityRows.reduce((sum, r) => sum + r.cells[i]!, 0)),
    total: activityRows.reduce((sum, r) => sum + r.total, 0),
  }
  const { labels, series } = monthSeries(months, perMonth, t, lang)
  return {
    period: p,
    activities,
    months,
    // Wider with more months, so each column keeps room for its numbers.
    perMonth: stackedChart(labels, series, { width: Math.max(480, months.length * 34) }),
    reach: {
      contacts: reached.contacts,
      organisations: reached.organisations,
      byCategory: categoryItems(reached.byCategory, t),
      byCounty: countyItems(reached.byCounty, t),
      organisationsByKind: ordered(reached.organisationsByKind, KINDS, (k) => label(t, `kind.${k}`)),
      organisationsByCounty: ordered(reached.organisationsByCounty, [...COUNTIES, null], (k) => k ?? t('chart.no_county')),
    },
    plans,
    formed,
    ended,
    influence,
  }
}

export type PeriodReport = Awaited<ReturnType<typeof periodReport>>

export const CSV_HEADER = ['section', 'key', 'label', 'count', 'total', 'date', 'status', 'note']

/** The whole report as one table: a "section" column says which part each row belongs to. */
export function periodReportCsv(r: PeriodReport, t: Translate): unknown[][] {
  const rows: unknown[][] = []
  const row = (section: string, key: string | null, lbl: string, count: number | null, extra: { total?: number; date?: string | null; status?: string | null; note?: string | null } = {}) =>
    rows.push([section, key, lbl, count, extra.total ?? null, extra.date ?? null, extra.status ?? null, extra.note ?? null])
  row('period', 'from', t('report.from'), null, { date: r.period.from })
  row('period', 'to', t('report.to'), null, { date: r.period.to })
  for (const a of r.activities.rows) {
    a.cells.forEach((count, i) => {
      if (count > 0) row('activities', `${a.type}/${r.activities.levels[i]!.key}`, `${a.label} – ${r.activities.levels[i]!.label}`, count)
    })
  }
  row('activities', 'total', t('chart.total'), r.activities.total)
  row('reach', 'contacts', t('report.reach_contacts'), r.reach.contacts)
  row('reach', 'organisations', t('report.reach_organisations'), r.reach.organisations)
  for (const [section, items] of [
    ['reach_by_category', r.reach.byCategory], ['reach_by_county', r.reach.byCounty],
    ['reach_organisations_by_kind', r.reach.organisationsByKind], ['reach_organisations_by_county', r.reach.organisationsByCounty],
  ] as const) {
    for (const i of items) row(section, i.key, i.label, i.value)
  }
  for (const p of r.plans) row('plans', p.id, p.name, p.reached_count, { total: p.target_count, date: p.deadline, status: p.status })
  for (const a of r.formed) row('alliances_formed', a.id, a.name, null, { date: a.date, status: a.status })
  for (const a of r.ended) row('alliances_ended', a.id, a.name, null, { date: a.date, status: a.status })
  for (const i of r.influence) row('influence', i.id, i.title, null, { date: i.date, status: i.result, note: i.recipient })
  return rows
}
