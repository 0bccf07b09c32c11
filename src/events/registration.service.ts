import { sql, type Transaction as KTransaction } from 'kysely'
import { contactFromPublicForm } from '../contacts/public-form-contact.ts'
import type { Activity, Database, EventQuestion } from '../db/schema.ts'
import { audit, inTransaction, type Actor, type Executor } from '../db/write.ts'

type Transaction = KTransaction<Database>
import type { Jobs } from '../jobs/jobs.ts'
import { hashToken, TOKEN } from '../newsletter/tokens.ts'
import { recordConsent } from '../privacy/consents.service.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { today } from '../register/vocabulary.ts'
import type { RegistrationInput } from './events.schema.ts'
import { setAttendance } from './participation.ts'
import { REGISTRABLE_TYPES } from './events.schema.ts'

export const MAIL_JOB = 'event-mail'
export type MailKind = 'registered' | 'waitlisted' | 'promoted'
export const consentPurpose = (activityId: string) => `event:${activityId}`
const PUBLIC = { userId: null }

export type Settings = {
  id: string
  activity_id: string
  open: boolean
  capacity: number | null
  deadline: string | null
  questions: EventQuestion[]
  version: number
}

export type Availability = 'open' | 'closed' | 'deadline_passed' | 'past'

/** Whether the public may register now: open, before the deadline (inclusive), and the activity still ahead. */
export function availability(settings: Pick<Settings, 'open' | 'deadline'>, activity: Pick<Activity, 'status' | 'start_date' | 'end_date' | 'type'>, day = today()): Availability {
  if (!settings.open || activity.status !== 'planned' || !(REGISTRABLE_TYPES as readonly string[]).includes(activity.type)) return 'closed'
  const last = activity.end_date ?? activity.start_date
  if (last && last < day) return 'past'
  if (settings.deadline && settings.deadline < day) return 'deadline_passed'
  return 'open'
}

export async function findSettings(db: Executor, activityId: string, opts: { forUpdate?: boolean } = {}): Promise<Settings | undefined> {
  let q = db.selectFrom('event_registration_settings').selectAll().where('activity_id', '=', activityId).where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function counts(db: Executor, activityId: string): Promise<{ registered: number; waitlisted: number; cancelled: number }> {
  const rows = await db.selectFrom('event_registrations').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity_id', '=', activityId).groupBy('status').execute()
  const out = { registered: 0, waitlisted: 0, cancelled: 0 }
  for (const r of rows) out[r.status] = Number(r.n)
  return out
}

/** Checks the answers against the questions: required ones given, choices among the options (problems by message key). */
export function checkAnswers(questions: readonly EventQuestion[], raw: Record<string, string | undefined>): Record<string, string> {
  const answers: Record<string, string> = {}
  const errors: Record<string, string> = {}
  for (const q of questions) {
    const value = (raw[q.id] ?? '').trim().slice(0, 1000)
    if (!value) {
      if (q.required) errors[`q_${q.id}`] = q.kind === 'choice' ? 'events.answer_choose' : 'events.answer_required'
      continue
    }
    if (q.kind === 'choice' && !q.options.includes(value)) {
      errors[`q_${q.id}`] = 'events.answer_choose'
      continue
    }
    answers[q.id] = value
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return answers
}

export type RegisterResult = 'registered' | 'waitlisted' | 'existing'

/**
 * A public registration. The settings row is locked first, so registrations for one activity
 * take their places one at a time on both engines: with capacity 2 the third is waitlisted,
 * however many arrive at once. The confirmation mail is queued in the same transaction.
 */
export async function register(
  db: Executor, jobs: Jobs, activityId: string, input: RegistrationInput, rawAnswers: Record<string, string | undefined>,
  consentText: string, lang: 'sv' | 'en',
): Promise<RegisterResult> {
  return inTransaction(db, async (tx) => {
    const settings = await findSettings(tx, activityId, { forUpdate: true })
    const activity = await tx.selectFrom('activities').selectAll().where('id', '=', activityId).where('deleted_at', 'is', null).executeTakeFirst()
    if (!settings || !activity) throw new NotFoundError()
    if (availability(settings, activity) !== 'open') throw new ValidationError({ form: 'events.closed' })
    const answers = checkAnswers(settings.questions, rawAnswers)
    const contactId = await contactFromPublicForm(tx, input, 'events.organisation_note', lang)
    const existing = await tx.selectFrom('event_registrations').selectAll()
      .where('activity_id', '=', activityId).where('contact_id', '=', contactId).forUpdate().executeTakeFirst()
    if (existing && existing.status !== 'cancelled') {
      // Known already: the same answer as for anyone, and a fresh mail with their own cancel link.
      await jobs.send(MAIL_JOB, { registration_id: existing.id, kind: existing.status }, { tx })
      return 'existing'
    }
    const taken = (await counts(tx, activityId)).registered
    const status = settings.capacity === null || taken < settings.capacity ? 'registered' : 'waitlisted'
    const values = { status, answers: JSON.stringify(answers), lang, created_at: sql<Date>`now()`, updated_at: sql<Date>`now()`, promoted_at: null, cancelled_at: null } as const
    const row = existing
      ? await tx.updateTable('event_registrations').set(values).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()
      : await tx.insertInto('event_registrations').values({ ...values, activity_id: activityId, contact_id: contactId }).returning('id').executeTakeFirstOrThrow()
    await recordConsent(tx, { contact_id: contactId, purpose: consentPurpose(activityId), method: 'form', text: consentText }, PUBLIC)
    if (status === 'registered') await setAttendance(tx, activityId, contactId, 'registered', PUBLIC)
    await jobs.send(MAIL_JOB, { registration_id: row.id, kind: status }, { tx })
    return status
  })
}

/**
 * Fills free places from the waitlist, oldest first, and queues a mail to each promoted person.
 * Called with the settings row locked (a cancellation, a larger capacity).
 */
export async function promoteWaiting(tx: Transaction, jobs: Jobs, activityId: string, capacity: number | null): Promise<number> {
  const taken = (await counts(tx, activityId)).registered
  const free = capacity === null ? 10_000 : capacity - taken
  if (free <= 0) return 0
  const next = await tx.selectFrom('event_registrations').select(['id', 'contact_id'])
    .where('activity_id', '=', activityId).where('status', '=', 'waitlisted')
    .orderBy('created_at').orderBy('id').limit(free).forUpdate().execute()
  for (const r of next) {
    await tx.updateTable('event_registrations').set({ status: 'registered', promoted_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', r.id).execute()
    await setAttendance(tx, activityId, r.contact_id, 'registered', PUBLIC)
    await jobs.send(MAIL_JOB, { registration_id: r.id, kind: 'promoted' }, { tx })
  }
  return next.length
}

export type CancelResult = 'cancelled' | 'already' | 'expired' | 'invalid'

/** What a cancel token leads to, without using it (the page asks before cancelling). */
export async function tokenRegistration(db: Executor, token: string) {
  if (!TOKEN.test(token)) return undefined
  return db.selectFrom('event_tokens as k').innerJoin('event_registrations as r', 'r.id', 'k.registration_id')
    .innerJoin('activities as a', 'a.id', 'r.activity_id')
    .select(['k.used_at', 'k.expires_at', 'r.status', 'a.title', 'a.start_date', 'a.end_date', 'a.id as activity_id'])
    .where('k.token_hash', '=', hashToken(token)).where('k.purpose', '=', 'cancel').executeTakeFirst()
}

/**
 * Cancels by the token from the confirmation mail: once (a second use is still a success for the
 * person), and the first on the waitlist gets the place and a mail saying so.
 */
export async function cancelRegistration(db: Executor, jobs: Jobs, token: string): Promise<CancelResult> {
  if (!TOKEN.test(token)) return 'invalid'
  return inTransaction(db, async (tx) => {
    const found = await tx.selectFrom('event_tokens as k').innerJoin('event_registrations as r', 'r.id', 'k.registration_id')
      .select(['k.id', 'k.used_at', 'k.expires_at', 'r.activity_id', 'r.id as registration_id'])
      .where('k.token_hash', '=', hashToken(token)).where('k.purpose', '=', 'cancel').executeTakeFirst()
    if (!found) return 'invalid'
    // The same lock order as a registration: the activity's settings, then the registration.
    const settings = await findSettings(tx, found.activity_id, { forUpdate: true })
    const reg = await tx.selectFrom('event_registrations').selectAll().where('id', '=', found.registration_id).forUpdate().executeTakeFirstOrThrow()
    const token_ = await tx.selectFrom('event_tokens').select(['used_at']).where('id', '=', found.id).forUpdate().executeTakeFirstOrThrow()
    if (token_.used_at || reg.status === 'cancelled') {
      if (!token_.used_at) await tx.updateTable('event_tokens').set({ used_at: sql`now()` }).where('id', '=', found.id).execute()
      return 'already'
    }
    if (found.expires_at.getTime() < Date.now()) return 'expired'
    await tx.updateTable('event_tokens').set({ used_at: sql`now()` }).where('id', '=', found.id).execute()
    await cancelLocked(tx, jobs, reg, settings, PUBLIC)
    return 'cancelled'
  })
}

type Registration = Pick<Database['event_registrations'], 'activity_id' | 'contact_id'> & { id: string; status: 'registered' | 'waitlisted' | 'cancelled' }

/**
 * Cancels a registration whose settings and row the caller has locked (in that order): the
 * person stops being a participant (or is invited still, if they were invited), and a freed place
 * goes to the first on the waitlist, who is mailed. The same for a self-cancel and a staff one.
 */
async function cancelLocked(tx: Transaction, jobs: Jobs, reg: Registration, settings: Settings | undefined, actor: Actor): Promise<void> {
  await tx.updateTable('event_registrations').set({ status: 'cancelled', cancelled_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', reg.id).execute()
  // Someone invited before registering is invited still; anyone else is no longer a participant.
  const invited = await tx.selectFrom('event_invitations').select('id').where('activity_id', '=', reg.activity_id).where('contact_id', '=', reg.contact_id).executeTakeFirst()
  await setAttendance(tx, reg.activity_id, reg.contact_id, invited ? 'invited' : null, actor)
  if (reg.status === 'registered' && settings) await promoteWaiting(tx, jobs, reg.activity_id, settings.capacity)
}

/**
 * A staff member cancels a registration (someone phoned to say they cannot come): as the
 * person's own cancel link would, and audited on the activity under the staff member's name. A
 * registration already cancelled stays so ('already'), whoever cancelled it first.
 */
export async function cancelByStaff(db: Executor, jobs: Jobs, activityId: string, registrationId: string, actor: Actor): Promise<'cancelled' | 'already'> {
  return inTransaction(db, async (tx) => {
    const settings = await findSettings(tx, activityId, { forUpdate: true })
    const reg = await tx.selectFrom('event_registrations').select(['id', 'activity_id', 'contact_id', 'status'])
      .where('id', '=', registrationId).where('activity_id', '=', activityId).forUpdate().executeTakeFirst()
    if (!reg) throw new NotFoundError()
    if (reg.status === 'cancelled') return 'already'
    await cancelLocked(tx, jobs, reg, settings, actor)
    await audit(tx, actor, 'activity', activityId, 'update', {
      registration: [{ id: reg.id, contact_id: reg.contact_id, status: reg.status }, { id: reg.id, contact_id: reg.contact_id, status: 'cancelled' }],
    })
    return 'cancelled'
  })
}
