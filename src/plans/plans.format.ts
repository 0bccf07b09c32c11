import type { Plan } from '../db/schema.ts'
import type { ProgressCount } from './plan-progress.ts'

export function toApiPlan(p: Plan) {
  return {
    id: p.id,
    name: p.name,
    goal: p.goal,
    deadline: p.deadline,
    status: p.status,
    target: p.target,
    theme_ids: p.theme_ids,
    product_ids: p.product_ids,
    qualifying_attendance: p.qualifying_attendance,
    version: p.version,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  }
}

export const PLAN_CSV_COLUMNS = [
  'id', 'name', 'status', 'goal', 'deadline', 'target_count', 'reached_count', 'target', 'theme_ids', 'product_ids',
  'qualifying_attendance', 'version', 'created_at', 'updated_at',
] as const

/** A row of the CSV export: the API's fields with the progress counted, the target as JSON. */
export function planCsvRow(p: Plan, count: ProgressCount = { target_count: 0, reached_count: 0 }) {
  return { ...toApiPlan(p), ...count, target: JSON.stringify(p.target) }
}
