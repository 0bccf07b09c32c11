import { sql } from 'kysely'
import type { Attendance } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { MessageKey } from '../web/i18n.ts'
import type { TimelineEntry } from '../web/timeline.ts'

const LABEL: Record<Attendance, MessageKey> = {
  invited: 'activity.timeline.invited',
  registered: 'activity.timeline.registered',
  attended: 'activity.timeline.attended',
  received: 'activity.timeline.received',
  no_show: 'activity.timeline.no_show',
}

/**
 * The activities a contact or an organisation took part in (by attendance: "Deltog i …"), on
 * the activity's date; for an organisation also the influence input it received.
 */
export async function activityTimeline(db: Executor, type: 'organisation' | 'contact', id: string, limit = 50): Promise<TimelineEntry[]> {
  const column = type === 'organisation' ? 'p.organisation_id' : 'p.contact_id'
  const day = sql<string>`coalesce(a.start_date, a.created_at::date)::text`
  const taken = await db
    .selectFrom('activity_participants as p')
    .innerJoin('activities as a', 'a.id', 'p.activity_id')
    .select(['a.id', 'a.title', 'p.attendance', day.as('day')])
    .where(column, '=', id)
    .where('a.deleted_at', 'is', null)
    .orderBy(sql`coalesce(a.start_date, a.created_at::date)`, 'desc')
    .limit(limit)
    .execute()
  const received =
    type === 'organisation'
      ? await db
          .selectFrom('activities as a')
          .select(['a.id', 'a.title', day.as('day')])
          .where('a.influence_organisation_id', '=', id)
          .where('a.deleted_at', 'is', null)
          .orderBy(sql`coalesce(a.start_date, a.created_at::date)`, 'desc')
          .limit(limit)
          .execute()
      : []
  const entry = (a: { id: string; title: string; day: string }, label: MessageKey): TimelineEntry => ({
    at: new Date(`${a.day}T12:00:00Z`),
    date: a.day,
    dateOnly: true,
    kind: 'activity',
    label,
    who: null,
    summary: a.title,
    link: `/activities/${a.id}`,
  })
  return [...taken.map((a) => entry(a, LABEL[a.attendance])), ...received.map((a) => entry(a, 'activity.timeline.influence'))]
}
