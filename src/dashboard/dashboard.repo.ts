import { sql } from 'kysely'
import type { AuditEntry } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { addDays, followUpItems, shortSummary, type FollowUpItem } from '../interactions/follow-ups.ts'
import { openFollowUps } from '../interactions/interactions.repo.ts'
import { contactVisibleTo, currentAudience } from '../privacy/visibility.ts'

export const UPCOMING_DAYS = 14

export interface MyFollowUps {
  overdue: FollowUpItem[]
  upcoming: FollowUpItem[]
}

/** The user's open follow-ups: due before `today` (Swedish date), and due in the next two weeks. */
export async function myFollowUps(db: Executor, userId: string, today: string): Promise<MyFollowUps> {
  const [overdue, upcoming] = await Promise.all([
    openFollowUps(db, { assigneeId: userId, before: today }),
    openFollowUps(db, { assigneeId: userId, from: today, to: addDays(today, UPCOMING_DAYS) }),
  ])
  const items = await followUpItems(db, [...overdue, ...upcoming])
  return { overdue: items.slice(0, overdue.length), upcoming: items.slice(overdue.length) }
}

export interface RecentChange {
  id: string
  at: Date
  who: string | null
  action: AuditEntry['action']
  entity_type: string
  /** The record's name now, when it still has one. */
  label: string | null
  /** Where the record is shown, when it is still there. */
  href: string | null
}

interface Named {
  id: string
  label: string
  live: boolean
}

type Lookup = (db: Executor, ids: string[]) => Promise<Named[]>

// How each kind of record is named and found. Kinds not listed are shown without a name.
const RECORDS: Record<string, { lookup: Lookup; path: string }> = {
  organisation: {
    path: '/organisations/',
    lookup: async (db, ids) =>
      (await db.selectFrom('organisations').select(['id', 'name', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: r.name, live: r.deleted_at === null })),
  },
  contact: {
    path: '/contacts/',
    lookup: async (db, ids) =>
      (await db
        .selectFrom('contacts')
        .select(['id', 'deleted_at', sql<string>`trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`.as('name')])
        .where('id', 'in', ids)
        // A person the reader may not see is not named (a change to "a contact", without a link).
        .where(contactVisibleTo(currentAudience()))
        .execute()).map((r) => ({ id: r.id, label: r.name, live: r.deleted_at === null })),
  },
  theme: {
    path: '/themes/',
    lookup: async (db, ids) =>
      (await db.selectFrom('themes').select(['id', 'name', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: r.name, live: r.deleted_at === null })),
  },
  alliance: {
    path: '/alliances/',
    lookup: async (db, ids) =>
      (await db.selectFrom('alliances').select(['id', 'name', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: r.name, live: r.deleted_at === null })),
  },
  interaction: {
    path: '/interactions/',
    lookup: async (db, ids) =>
      (await db.selectFrom('interactions').select(['id', 'summary', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: shortSummary(r.summary, 80), live: r.deleted_at === null })),
  },
  project: {
    path: '/projects/',
    lookup: async (db, ids) =>
      (await db.selectFrom('projects').select(['id', 'name', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: r.name, live: r.deleted_at === null })),
  },
  product: {
    path: '/products/',
    lookup: async (db, ids) =>
      (await db.selectFrom('products').select(['id', 'title', 'deleted_at']).where('id', 'in', ids).execute())
        .map((r) => ({ id: r.id, label: r.title, live: r.deleted_at === null })),
  },
}

/** The newest changes to the register by anyone (user accounts left out), with names and links. */
export async function recentChanges(db: Executor, limit = 15): Promise<RecentChange[]> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.entity_type', 'audit_log.entity_id', 'users.name as who'])
    .where('audit_log.entity_type', '<>', 'user')
    // Changes only: views of protected records, extracts and exports are the auditor's business.
    .where('audit_log.action', 'not in', ['view', 'extract', 'export'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute()
  const names = new Map<string, Named>()
  for (const [type, record] of Object.entries(RECORDS)) {
    const ids = [...new Set(rows.filter((r) => r.entity_type === type).map((r) => r.entity_id))]
    if (ids.length) for (const n of await record.lookup(db, ids)) names.set(`${type}:${n.id}`, n)
  }
  return rows.map((r) => {
    const named = names.get(`${r.entity_type}:${r.entity_id}`)
    const path = RECORDS[r.entity_type]?.path
    return {
      id: r.id,
      at: r.at,
      who: r.who,
      action: r.action,
      entity_type: r.entity_type,
      label: named?.label || null,
      href: named?.live && path ? path + r.entity_id : null,
    }
  })
}
