import { sql } from 'kysely'
import type { AllianceRole, AllianceStatus } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { MessageKey } from '../web/i18n.ts'
import type { TimelineEntry } from '../web/timeline.ts'

const MEMBER_LABEL: Record<AllianceRole, MessageKey> = {
  lead: 'alliance.timeline.member.lead',
  partner: 'alliance.timeline.member.partner',
  supporter: 'alliance.timeline.member.supporter',
}

/**
 * What happened in the alliances an organisation is a member of (or a contact is the contact
 * person in): the day its membership began, and each status change of those alliances.
 */
export async function allianceTimeline(db: Executor, type: 'organisation' | 'contact', id: string, limit = 50): Promise<TimelineEntry[]> {
  const column = type === 'organisation' ? 'm.organisation_id' : 'm.contact_id'
  const memberships = await db
    .selectFrom('alliance_members as m')
    .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
    .select(['a.id', 'a.name', 'm.role', sql<string | null>`coalesce(m.start_date, a.start_date)::text`.as('since')])
    .where(column, '=', id)
    .where('a.deleted_at', 'is', null)
    .execute()
  if (memberships.length === 0) return []
  const names = new Map(memberships.map((m) => [m.id, m.name]))
  const changes = await db
    .selectFrom('alliance_status_changes as s')
    .leftJoin('users', 'users.id', 's.user_id')
    .select(['s.alliance_id', 's.to_status', 's.at', 'users.name as who'])
    .where('s.alliance_id', 'in', [...names.keys()])
    .orderBy('s.at', 'desc')
    .limit(limit)
    .execute()
  const starts: TimelineEntry[] = memberships.flatMap((m) =>
    m.since
      ? [{
          at: new Date(`${m.since}T12:00:00Z`),
          date: m.since,
          dateOnly: true,
          kind: 'alliance' as const,
          label: type === 'organisation' ? MEMBER_LABEL[m.role] : 'alliance.timeline.contact_person',
          who: null,
          summary: m.name,
          link: `/alliances/${m.id}`,
        }]
      : [],
  )
  const moves: TimelineEntry[] = changes.map((s) => ({
    at: s.at,
    date: s.at.toISOString(),
    kind: 'alliance',
    label: `alliance.timeline.status.${s.to_status as AllianceStatus}`,
    who: s.who,
    summary: names.get(s.alliance_id) ?? '',
    link: `/alliances/${s.alliance_id}`,
  }))
  return [...starts, ...moves]
}
