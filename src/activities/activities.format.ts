import type { ActivityRecord } from './activities.repo.ts'

/** The activity as the JSON API speaks of it; the influence_* columns become one `influence` object. */
export function toApiActivity(a: ActivityRecord) {
  return {
    id: a.id,
    title: a.title,
    type: a.type,
    status: a.status,
    start_date: a.start_date,
    end_date: a.end_date,
    location: a.location,
    online: a.online,
    level: a.level,
    theme_ids: a.theme_ids,
    product_ids: a.product_ids,
    participants: a.participants.map((p) => ({
      id: p.id,
      contact_id: p.contact_id,
      organisation_id: p.organisation_id,
      role: p.role,
      attendance: p.attendance,
    })),
    audience_size: a.audience_size,
    outcome: a.outcome,
    influence: {
      organisation_id: a.influence_organisation_id,
      body_id: a.influence_body_id,
      request: a.influence_request,
      result: a.influence_result,
      evidence: a.influence_evidence,
      result_date: a.influence_result_date,
    },
    version: a.version,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  }
}

export const ACTIVITY_CSV_COLUMNS = [
  'id', 'title', 'type', 'status', 'start_date', 'end_date', 'location', 'online', 'level', 'theme_ids', 'product_ids',
  'participants', 'attended', 'audience_size', 'outcome', 'influence_organisation_id', 'influence_body_id', 'influence_request',
  'influence_result', 'influence_evidence', 'influence_result_date', 'version', 'created_at', 'updated_at',
] as const

/** A row of the CSV export: the API's fields, the influence record flattened, participants counted. */
export function activityCsvRow(a: ActivityRecord): Record<(typeof ACTIVITY_CSV_COLUMNS)[number], unknown> {
  return {
    ...toApiActivity(a),
    participants: a.participants.length,
    attended: a.participants.filter((p) => p.attendance === 'attended' || p.attendance === 'received').length,
    influence_organisation_id: a.influence_organisation_id,
    influence_body_id: a.influence_body_id,
    influence_request: a.influence_request,
    influence_result: a.influence_result,
    influence_evidence: a.influence_evidence,
    influence_result_date: a.influence_result_date,
  }
}
