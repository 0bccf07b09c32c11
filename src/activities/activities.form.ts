import { intOf, listOf, textOf } from '../web/form.ts'
import type { ActivityRecord } from './activities.repo.ts'

type FormValues = Record<string, string | string[]>

/** One participant row of the new-activity form (pre-filled from a link), as typed. */
export interface ParticipantRow {
  contact_id: string
  organisation_id: string
  role: string
  attendance: string
  remove: boolean
}

/** The participant rows of the form (`participants.<n>.<field>`), in order, without those left out. */
export function participantRowsFromForm(f: FormValues): ParticipantRow[] {
  const rows = new Map<number, ParticipantRow>()
  for (const [key, value] of Object.entries(f)) {
    const m = /^participants\.(\d{1,4})\.(contact_id|organisation_id|role|attendance|remove)$/.exec(key)
    if (!m) continue
    const n = Number(m[1])
    const row = rows.get(n) ?? { contact_id: '', organisation_id: '', role: '', attendance: '', remove: false }
    if (m[2] === 'remove') row.remove = true
    else row[m[2] as 'role'] = (textOf(value) ?? '').trim()
    rows.set(n, row)
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, r]) => r).filter((r) => !r.remove && (r.contact_id || r.organisation_id))
}

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function activityFromForm(f: FormValues) {
  return {
    title: textOf(f.title) ?? '',
    type: textOf(f.type) ?? undefined,
    status: textOf(f.status) ?? undefined,
    start_date: textOf(f.start_date),
    end_date: textOf(f.end_date),
    location: textOf(f.location),
    online: textOf(f.online) !== null,
    level: textOf(f.level),
    theme_ids: listOf(f.theme_ids),
    product_ids: listOf(f.product_ids),
    participants: participantRowsFromForm(f).map((r) => ({
      contact_id: r.contact_id || null,
      organisation_id: r.organisation_id || null,
      role: r.role || undefined,
      attendance: r.attendance || undefined,
    })),
    audience_size: intOf(f.audience_size),
    outcome: textOf(f.outcome),
    influence: {
      organisation_id: textOf(f['influence.organisation_id']),
      body_id: textOf(f['influence.body_id']),
      request: textOf(f['influence.request']),
      result: textOf(f['influence.result']),
      evidence: textOf(f['influence.evidence']),
      result_date: textOf(f['influence.result_date']),
    },
  }
}

/** A stored activity as the form's strings. */
export function valuesOf(a: ActivityRecord): FormValues {
  return {
    title: a.title, type: a.type, status: a.status, start_date: a.start_date ?? '', end_date: a.end_date ?? '', location: a.location ?? '',
    online: a.online ? 'on' : '', level: a.level ?? '', theme_ids: a.theme_ids, product_ids: a.product_ids,
    audience_size: a.audience_size?.toString() ?? '', outcome: a.outcome ?? '',
    'influence.organisation_id': a.influence_organisation_id ?? '', 'influence.body_id': a.influence_body_id ?? '',
    'influence.request': a.influence_request ?? '', 'influence.result': a.influence_result ?? '',
    'influence.evidence': a.influence_evidence ?? '', 'influence.result_date': a.influence_result_date ?? '',
    version: String(a.version),
  }
}
