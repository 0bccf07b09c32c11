import type { AttendanceValue } from '../activities/activities.schema.ts'
import { updateRecord, type Actor, type Executor } from '../db/write.ts'

/**
 * Makes a person's participation in an activity follow their registration or invitation, as one
 * audited, versioned change of the activity (like the newsletter's `received`): `registered` and
 * `invited` rows count in plan progress and reports with no extra typing. `null` removes the row
 * unless the person already attended (what happened is never undone by a late cancellation; only
 * the check-in list, with `undo`, takes back its own mark).
 */
export async function setAttendance(tx: Executor, activityId: string, contactId: string, attendance: AttendanceValue | null, actor: Actor, opts: { undo?: boolean } = {}): Promise<void> {
  const activity = await tx.selectFrom('activities').select('version').where('id', '=', activityId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
  if (!activity) return
  const row = await tx.selectFrom('activity_participants').select(['id', 'attendance'])
    .where('activity_id', '=', activityId).where('contact_id', '=', contactId).executeTakeFirst()
  const before = row?.attendance ?? null
  if (before === attendance || (before === 'attended' && !opts.undo)) return
  if (row && attendance === null) await tx.deleteFrom('activity_participants').where('id', '=', row.id).execute()
  else if (row) await tx.updateTable('activity_participants').set({ attendance: attendance! }).where('id', '=', row.id).execute()
  else if (attendance) {
    await tx.insertInto('activity_participants').values({ activity_id: activityId, contact_id: contactId, role: 'participant', attendance }).execute()
  }
  await updateRecord(tx, 'activities', activityId, activity.version, {}, actor, {
    participant: [{ contact_id: contactId, attendance: before }, { contact_id: contactId, attendance }],
  })
}
