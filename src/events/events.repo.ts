import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'
import type { Settings } from './registration.service.ts'

export const toApiSettings = (s: Settings & { created_at?: Date; updated_at?: Date }) => ({
  id: s.id, activity_id: s.activity_id, version: s.version, open: s.open, capacity: s.capacity, deadline: s.deadline, questions: s.questions,
})

/**
 * An activity's registrations in the order they came (the waitlist's order), with who they are —
 * the name and address only where the reader may see the person (src/privacy/visibility.ts).
 */
export async function registrations(db: Executor, activityId: string, audience: Audience) {
  const rows = await db.selectFrom('event_registrations as r').innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.id', 'r.contact_id', 'r.status', 'r.answers', 'r.created_at', 'r.promoted_at', 'r.cancelled_at',
      'c.email', 'c.erased_at', sql<boolean>`${contactVisibleTo(audience, 'c')}`.as('shown'),
      sql<string>`trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))`.as('name')])
    .where('r.activity_id', '=', activityId)
    .orderBy('r.created_at').orderBy('r.id')
    .execute()
  return rows.map((r) => ({
    id: r.id, contact_id: r.contact_id, name: r.erased_at || !r.shown ? null : r.name, email: r.erased_at || !r.shown ? null : r.email, status: r.status,
    answers: r.answers, created_at: r.created_at.toISOString(), promoted_at: r.promoted_at?.toISOString() ?? null,
    cancelled_at: r.cancelled_at?.toISOString() ?? null,
  }))
}
