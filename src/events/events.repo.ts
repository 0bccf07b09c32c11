import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import { timestampKey } from '../db/pagination.ts'
import { contactVisibleTo, currentAudience } from '../privacy/visibility.ts'
import { manyOf } from '../register/list-query.ts'
import { defineList, filter } from '../web/list.ts'
import type { Settings } from './registration.service.ts'

export const toApiSettings = (s: Settings & { created_at?: Date; updated_at?: Date }) => ({
  id: s.id, activity_id: s.activity_id, version: s.version, open: s.open, capacity: s.capacity, deadline: s.deadline, questions: s.questions,
})

type RegistrationRow = {
  id: string; contact_id: string; status: 'registered' | 'waitlisted' | 'cancelled'; answers: Record<string, string>
  created_at: Date; promoted_at: Date | null; cancelled_at: Date | null; email: string | null; erased_at: Date | null; shown: boolean; name: string
}

export const toApiRegistration = (r: RegistrationRow) => ({
  id: r.id, contact_id: r.contact_id, name: r.erased_at || !r.shown ? null : r.name, email: r.erased_at || !r.shown ? null : r.email, status: r.status,
  answers: r.answers, created_at: r.created_at.toISOString(), promoted_at: r.promoted_at?.toISOString() ?? null,
  cancelled_at: r.cancelled_at?.toISOString() ?? null,
})

/**
 * An activity's registrations in the order they came (the waitlist's order) — page, API and CSV,
 * by the list protocol — with who they are: the name and address only where the reader may see
 * the person (src/privacy/visibility.ts; an export is `export`). The route sets `activity_id`.
 */
export const registrationList = defineList({
  path: '/api/v1/activities/registrations',
  filters: {
    activity_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`r.activity_id = ${v}::uuid`),
    status: filter(manyOf(z.enum(['registered', 'waitlisted', 'cancelled'])), (v) => sql<SqlBool>`r.status = any(${sql.val(v)})`),
  },
  sorts: {
    created: [
      timestampKey<RegistrationRow>('r.created_at', (r) => r.created_at),
      { expr: sql`r.id`, type: 'uuid', of: (r: RegistrationRow) => r.id },
    ],
  },
  defaultSort: 'created',
  from: (db) => db.selectFrom('event_registrations as r').innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.id', 'r.contact_id', 'r.status', 'r.answers', 'r.created_at', 'r.promoted_at', 'r.cancelled_at',
      'c.email', 'c.erased_at', sql<boolean>`${contactVisibleTo(currentAudience(), 'c')}`.as('shown'),
      sql<string>`trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))`.as('name')]) as unknown as SelectQueryBuilder<Database, any, RegistrationRow>,
  toApi: toApiRegistration,
  csv: {
    filename: 'registrations.csv',
    columns: ['id', 'contact_id', 'name', 'email', 'status', 'answers', 'created_at', 'promoted_at', 'cancelled_at'],
    row: (r: RegistrationRow) => ({ ...toApiRegistration(r), answers: JSON.stringify(r.answers) }),
  },
})
