import { sql } from 'kysely'
import type { AllianceRole, AllianceStatus, CommitmentStatus } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { contactHiddenFrom, visibleContactName } from '../privacy/visibility.ts'

// What other pages show of alliances: an organisation's memberships and overdue commitments,
// the dashboard's lists, the member organisations offered as a list filter.

export interface Membership {
  alliance_id: string
  alliance_name: string
  status: AllianceStatus
  role: AllianceRole
  contact_id: string | null
  /** Null (and `contact_hidden`) for a person the reader may not see. */
  contact_name: string | null
  contact_hidden: boolean
  /** The member's own dates, else the alliance's. */
  start_date: string | null
  end_date: string | null
}

/**
 * The live alliances the organisation is a member of: current ones (not ended, and its period
 * not over by `today`) and former ones.
 */
export async function membershipsOf(db: Executor, organisationId: string, today: string): Promise<{ current: Membership[]; former: Membership[] }> {
  const rows = await db
    .selectFrom('alliance_members as m')
    .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
    .leftJoin('contacts', 'contacts.id', 'm.contact_id')
    .select([
      'a.id as alliance_id', 'a.name as alliance_name', 'a.status', 'm.role', 'm.contact_id',
      visibleContactName().as('contact_name'), contactHiddenFrom().as('contact_hidden'),
      sql<string | null>`coalesce(m.start_date, a.start_date)::text`.as('start_date'),
      sql<string | null>`coalesce(m.end_date, a.end_date)::text`.as('end_date'),
    ])
    .where('m.organisation_id', '=', organisationId)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.sort_name')
    .orderBy('a.id')
    .execute()
  const isCurrent = (r: Membership) => r.status !== 'ended' && (!r.end_date || r.end_date >= today)
  return { current: rows.filter(isCurrent), former: rows.filter((r) => !isCurrent(r)) }
}

export interface OverdueCommitment {
  id: string
  description: string
  due_date: string
  organisation_id: string
  organisation_name: string
  alliance_id: string
  alliance_name: string
  /** The alliance's version and the commitment's status: the dashboard changes the status inline. */
  alliance_version: number
  status: CommitmentStatus
}

/** Open commitments past their due date in live alliances that have not ended, the oldest first. */
export async function overdueCommitments(db: Executor, today: string, opts: { organisationId?: string; limit?: number } = {}): Promise<OverdueCommitment[]> {
  let q = db
    .selectFrom('commitments as k')
    .innerJoin('alliances as a', 'a.id', 'k.alliance_id')
    .innerJoin('organisations as o', 'o.id', 'k.organisation_id')
    .select([
      'k.id', 'k.description', sql<string>`k.due_date::text`.as('due_date'), 'k.organisation_id', 'o.name as organisation_name',
      'a.id as alliance_id', 'a.name as alliance_name', 'a.version as alliance_version', 'k.status',
    ])
    .where('k.status', '=', 'open')
    .where('k.due_date', '<', today)
    .where('a.deleted_at', 'is', null)
    .where('a.status', '<>', 'ended')
  if (opts.organisationId) q = q.where('k.organisation_id', '=', opts.organisationId)
  return q.orderBy('k.due_date').orderBy('a.sort_name').orderBy('k.id').limit(opts.limit ?? 50).execute()
}

export interface ReviewDue {
  id: string
  name: string
  status: AllianceStatus
  review_date: string
  next_step: string | null
}

/** Live alliances, not ended, whose review date has come (today or earlier), the oldest first. */
export async function reviewsDue(db: Executor, today: string, limit = 50): Promise<ReviewDue[]> {
  return db
    .selectFrom('alliances')
    .select(['id', 'name', 'status', sql<string>`review_date::text`.as('review_date'), 'next_step'])
    .where('deleted_at', 'is', null)
    .where('status', '<>', 'ended')
    .where('review_date', '<=', today)
    .orderBy('review_date')
    .orderBy('sort_name')
    .limit(limit)
    .execute()
}

/** Organisations that are members of some live alliance: the list page's member filter. */
export async function memberOrganisations(db: Executor): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('alliance_members as m')
          .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
          .select(sql`1`.as('one'))
          .whereRef('m.organisation_id', '=', 'o.id')
          .where('a.deleted_at', 'is', null),
      ),
    )
    .orderBy('o.sort_name')
    .limit(500)
    .execute()
}

/** What an organisation's page shows of alliances: its memberships and its overdue commitments. */
export async function organisationAlliances(db: Executor, organisationId: string, today: string) {
  const [alliances, allianceOverdue] = await Promise.all([
    membershipsOf(db, organisationId, today),
    overdueCommitments(db, today, { organisationId }),
  ])
  return { alliances, allianceOverdue }
}

/** What the dashboard shows of alliances: overdue commitments and reviews that have come due. */
export async function allianceAttention(db: Executor, today: string) {
  const [allianceOverdue, allianceReviews] = await Promise.all([overdueCommitments(db, today, { limit: 20 }), reviewsDue(db, today, 20)])
  return { allianceOverdue, allianceReviews }
}
