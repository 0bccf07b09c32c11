import type { ExtraChanges, Executor } from '../db/write.ts'
import type { ParticipantView } from './activities.repo.ts'
import { participantKey, type AttendanceValue, type ParticipantInput, type ParticipantRole } from './activities.schema.ts'

/** A participant row as written: its id is chosen before the write, so the audit row can name it. */
export interface ParticipantRow {
  id: string
  contact_id: string | null
  organisation_id: string | null
  role: ParticipantRole
  attendance: AttendanceValue
}

export interface ParticipantPlan {
  rows: ParticipantRow[]
  added: ParticipantRow[]
  removed: ParticipantView[]
  changed: ParticipantRow[]
  /** Changed rows that now name another person or organisation (a PATCH can do that). */
  moved: ParticipantRow[]
}

const same = (a: Omit<ParticipantRow, 'id'>, b: Omit<ParticipantRow, 'id'>) =>
  a.contact_id === b.contact_id && a.organisation_id === b.organisation_id && a.role === b.role && a.attendance === b.attendance

/** Makes the participants exactly `list`: rows sent back with their id keep it, the rest are new. */
export function replacementPlan(existing: readonly ParticipantView[], list: readonly ParticipantInput[]): ParticipantPlan {
  const before = new Map(existing.map((p) => [p.id, p]))
  const rows: ParticipantRow[] = []
  const added: ParticipantRow[] = []
  const changed: ParticipantRow[] = []
  const moved: ParticipantRow[] = []
  for (const p of list) {
    const was = p.id ? before.get(p.id) : undefined
    const row = { id: was?.id ?? crypto.randomUUID(), contact_id: p.contact_id, organisation_id: p.organisation_id, role: p.role, attendance: p.attendance }
    if (was) {
      before.delete(was.id)
      if (!same(row, was as ParticipantRow)) changed.push(row)
      if (row.contact_id !== was.contact_id || row.organisation_id !== was.organisation_id) moved.push(row)
    } else added.push(row)
    rows.push(row)
  }
  return { rows, added, removed: [...before.values()], changed, moved }
}

export interface ParticipantEdit {
  add: readonly ParticipantInput[]
  remove: readonly string[]
  attendance?: { ids: readonly string[] | 'all'; value: AttendanceValue }
  /**
   * Someone in `add` who already takes part gets the attendance given for them (a pasted list
   * of who came, "Deltog", marks the invited as attended). Only forward: "Inbjuden" never
   * overwrites another attendance, since whoever registered or came was invited too.
   */
  updateExisting?: boolean
}

/**
 * Applies a bulk edit to the current participants: removals first, then attendance, then
 * additions — a person or organisation already taking part is not added twice (`already`).
 */
export function editPlan(existing: readonly ParticipantView[], edit: ParticipantEdit): ParticipantPlan & { already: number; updated: number } {
  const removing = new Set(edit.remove)
  const setting = edit.attendance
  const targets = setting && setting.ids !== 'all' ? new Set(setting.ids) : null
  const kept: ParticipantInput[] = existing
    .filter((p) => !removing.has(p.id))
    .map((p) => ({
      id: p.id, contact_id: p.contact_id, organisation_id: p.organisation_id, role: p.role,
      attendance: setting && (!targets || targets.has(p.id)) ? setting.value : p.attendance,
    }))
  const present = new Map(kept.map((p) => [participantKey(p), p]))
  let already = 0
  let updated = 0
  const fresh: ParticipantInput[] = []
  for (const p of edit.add) {
    const key = participantKey(p)
    const there = present.get(key)
    if (there) {
      if (edit.updateExisting && there.attendance !== p.attendance && p.attendance !== 'invited') {
        there.attendance = p.attendance
        updated++
      } else already++
      continue
    }
    const row = { ...p, id: undefined }
    present.set(key, row)
    fresh.push(row)
  }
  return { ...replacementPlan(existing, [...kept, ...fresh]), already, updated }
}

export function hasChanges(plan: ParticipantPlan): boolean {
  return plan.added.length + plan.removed.length + plan.changed.length > 0
}

/**
 * The participants' part of the activity's audit row: counts of added, removed and changed
 * participants and their ids — a conference has hundreds, so not the whole list twice.
 */
export function participantChange(before: readonly unknown[] | null, plan: ParticipantPlan): ExtraChanges {
  if (before && !hasChanges(plan)) return {}
  if (!before && plan.rows.length === 0) return {}
  return {
    participants: [
      before ? { count: before.length } : null,
      {
        count: plan.rows.length,
        added: plan.added.length,
        removed: plan.removed.length,
        changed: plan.changed.length,
        added_ids: plan.added.map((p) => p.id),
        removed_ids: plan.removed.map((p) => p.id),
        changed_ids: plan.changed.map((p) => p.id),
      },
    ],
  }
}

/** Writes the plan: deletes the removed rows, updates the changed ones, inserts the new ones in batches. */
export async function writePlan(tx: Executor, activityId: string, plan: ParticipantPlan): Promise<void> {
  if (plan.removed.length) await tx.deleteFrom('activity_participants').where('id', 'in', plan.removed.map((p) => p.id)).execute()
  // Attendance marked for many at once is one update per value, not one per row.
  const groups = new Map<string, string[]>()
  for (const p of plan.changed) {
    const key = JSON.stringify([p.role, p.attendance])
    groups.set(key, [...(groups.get(key) ?? []), p.id])
  }
  for (const [key, ids] of groups) {
    const [role, attendance] = JSON.parse(key) as [ParticipantRole, AttendanceValue]
    await tx.updateTable('activity_participants').set({ role, attendance }).where('activity_id', '=', activityId).where('id', 'in', ids).execute()
  }
  for (const p of plan.moved) {
    await tx
      .updateTable('activity_participants')
      .set({ contact_id: p.contact_id, organisation_id: p.organisation_id })
      .where('activity_id', '=', activityId)
      .where('id', '=', p.id)
      .execute()
  }
  for (let i = 0; i < plan.added.length; i += 500) {
    const batch = plan.added.slice(i, i + 500).map((p) => ({ ...p, activity_id: activityId }))
    await tx.insertInto('activity_participants').values(batch).execute()
  }
}
