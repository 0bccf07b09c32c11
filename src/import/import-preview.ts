import type { Decisions, PlanRow } from './import-plan.ts'

const UUID = /^update:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const SHOWN = 50
const LISTED = 200

/** The choices carried by the preview's form (or its query string, to look again before importing). */
export function decisionsFrom(f: Record<string, string | string[]>): Decisions {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''
  const rows: Record<number, string> = {}
  for (const [key, value] of Object.entries(f)) {
    const m = /^row_(\d{1,6})$/.exec(key)
    const v = one(value)
    if (m && (v === 'create' || v === 'skip' || UUID.test(v))) rows[Number(m[1])] = v
  }
  const possible = one(f.possible)
  return {
    exact: one(f.exact) === 'skip' ? 'skip' : 'update',
    possible: possible === 'create' || possible === 'skip' ? possible : 'auto',
    rows,
  }
}

/** The value of a possible duplicate's choice as the plan decided it. */
export function choiceOf(row: PlanRow, decisions: Decisions): string {
  if (row.action === 'update' || row.action === 'unchanged') return `update:${row.target.id}`
  if (row.action === 'create' || row.action === 'skip') return row.action
  return decisions.rows[row.line] ?? 'create'
}

export function previewData(plan: PlanRow[]) {
  const counts = { total: plan.length, create: 0, update: 0, unchanged: 0, skip: 0, failed: 0 }
  for (const row of plan) counts[row.action]++
  const possible = plan.filter((r) => !r.exact && r.candidates.length)
  const failed = plan.filter((r) => r.action === 'failed')
  return {
    counts,
    first: plan.slice(0, SHOWN),
    possible: possible.slice(0, LISTED),
    possibleCount: possible.length,
    failed: failed.slice(0, LISTED),
    choiceOf,
  }
}
