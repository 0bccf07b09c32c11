import type { AllianceRecord } from './alliances.repo.ts'
import { commitmentState } from './commitments.ts'

export function toApiAlliance(a: AllianceRecord) {
  return {
    id: a.id,
    name: a.name,
    purpose: a.purpose,
    status: a.status,
    start_date: a.start_date,
    end_date: a.end_date,
    review_date: a.review_date,
    next_step: a.next_step,
    links: a.links,
    members: a.members.map((m) => ({
      id: m.id,
      organisation_id: m.organisation_id,
      role: m.role,
      contact_id: m.contact_id,
      start_date: m.start_date,
      end_date: m.end_date,
    })),
    commitments: a.commitments.map((k) => ({
      id: k.id,
      organisation_id: k.organisation_id,
      description: k.description,
      due_date: k.due_date,
      status: k.status,
      done_at: k.done_at ? k.done_at.toISOString() : null,
    })),
    theme_ids: a.theme_ids,
    notes: a.notes,
    version: a.version,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  }
}

export const ALLIANCE_CSV_COLUMNS = [
  'id', 'name', 'status', 'purpose', 'start_date', 'end_date', 'review_date', 'next_step', 'members',
  'open_commitments', 'overdue_commitments', 'links', 'theme_ids', 'notes', 'version', 'created_at', 'updated_at',
] as const

/** A row of the CSV export: the API's fields, members as "name (role)" and commitments counted. */
export function allianceCsvRow(a: AllianceRecord, today: string) {
  return {
    ...toApiAlliance(a),
    members: a.members.map((m) => `${m.organisation_name} (${m.role})`),
    open_commitments: a.commitments.filter((k) => k.status === 'open').length,
    overdue_commitments: a.commitments.filter((k) => commitmentState(k, today) === 'overdue').length,
    links: a.links.map((l) => l.url),
  }
}
