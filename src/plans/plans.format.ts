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

const CSV_FIELDS = [
  'id', 'name', 'status', 'goal', 'deadline', 'target_count', 'reached_count', 'target', 'theme_ids', 'product_ids',
  'qualifying_attendance', 'version', 'created_at', 'updated_at',
] as const

/** The CSV export: the API's fields with the progress counted, the target as JSON. */
export function plansCsv(plans: Plan[], counts: Map<string, ProgressCount>): { header: string[]; rows: unknown[][] } {
  const rows = plans.map((p) => {
    const o = { ...toApiPlan(p), ...(counts.get(p.id) ?? { target_count: 0, reached_count: 0 }), target: JSON.stringify(p.target) }
    return CSV_FIELDS.map((f) => o[f])
  })
  return { header: [...CSV_FIELDS], rows }
}
