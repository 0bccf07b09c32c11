import { createRecord, inTransaction, updateRecord, type Actor, type Executor } from '../db/write.ts'
import type { EventQuestion } from '../db/schema.ts'
import type { Jobs } from '../jobs/jobs.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { REGISTRABLE_TYPES, type SettingsInput } from './events.schema.ts'
import { findSettings, promoteWaiting, type Settings } from './registration.service.ts'

const newQuestionId = () => crypto.randomUUID().replace(/-/g, '').slice(0, 8)

/**
 * Creates or changes an activity's registration settings (audited; a change needs the version it
 * was read at). A larger capacity fills the new places from the waitlist at once.
 */
export async function saveSettings(db: Executor, jobs: Jobs | undefined, activityId: string, input: SettingsInput, actor: Actor): Promise<Settings> {
  return inTransaction(db, async (tx) => {
    const activity = await tx.selectFrom('activities').select(['type']).where('id', '=', activityId).where('deleted_at', 'is', null).executeTakeFirst()
    if (!activity) throw new NotFoundError()
    if (!(REGISTRABLE_TYPES as readonly string[]).includes(activity.type)) throw new ValidationError({ open: 'events.not_registrable' })
    const questions: EventQuestion[] = input.questions.map((q) => ({
      id: q.id ?? newQuestionId(), label: q.label, kind: q.kind, options: q.kind === 'choice' ? q.options : [], required: q.required,
    }))
    if (new Set(questions.map((q) => q.id)).size !== questions.length) throw new ValidationError({ questions: 'validation.invalid' })
    const values = { open: input.open, capacity: input.capacity, deadline: input.deadline, questions: JSON.stringify(questions) }
    const current = await findSettings(tx, activityId, { forUpdate: true })
    let saved: Settings
    if (!current) {
      saved = await createRecord(tx, 'event_registration_settings', { ...values, activity_id: activityId }, actor)
    } else {
      if (input.version === undefined) throw new StaleVersionError(current)
      saved = await updateRecord(tx, 'event_registration_settings', current.id, input.version, values, actor)
      if (jobs && (saved.capacity === null || (current.capacity !== null && saved.capacity > current.capacity))) {
        await promoteWaiting(tx, jobs, activityId, saved.capacity)
      }
    }
    return saved
  })
}
