import { sql } from 'kysely'
import type { Alliance, AllianceMember, AllianceStatus, Commitment } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { STATUSES } from './alliances.schema.ts'
import { contactHiddenFrom, visibleContactName } from '../privacy/visibility.ts'

/** `contact_name` is null (and `contact_hidden` true) for a contact person the reader may not see. */
export type MemberView = AllianceMember & { organisation_name: string; contact_name: string | null; contact_hidden: boolean }
export type CommitmentView = Commitment & { organisation_name: string }

/** An alliance with its members and commitments: one record to the API, the forms and the audit log. */
export type AllianceRecord = Alliance & { members: MemberView[]; commitments: CommitmentView[] }


/** Members of each alliance: leads first, then by Swedish name. */
export async function membersOf(db: Executor, allianceIds: readonly string[]): Promise<Map<string, MemberView[]>> {
  const out = new Map<string, MemberView[]>(allianceIds.map((id) => [id, []]))
  if (allianceIds.length === 0) return out
  const rows = await db
    .selectFrom('alliance_members as m')
    .innerJoin('organisations', 'organisations.id', 'm.organisation_id')
    .leftJoin('contacts', 'contacts.id', 'm.contact_id')
    .selectAll('m')
    .select(['organisations.name as organisation_name', visibleContactName().as('contact_name'), contactHiddenFrom().as('contact_hidden')])
    .where('m.alliance_id', 'in', [...allianceIds])
    .orderBy(sql`array_position(array['lead', 'partner', 'supporter'], m.role)`)
    .orderBy('organisations.sort_name')
    .orderBy('m.id')
    .execute()
  for (const r of rows) out.get(r.alliance_id)?.push(r)
  return out
}

/** Commitments of each alliance: by due date (undated last), then as described. */
export async function commitmentsOf(db: Executor, allianceIds: readonly string[]): Promise<Map<string, CommitmentView[]>> {
  const out = new Map<string, CommitmentView[]>(allianceIds.map((id) => [id, []]))
  if (allianceIds.length === 0) return out
  const rows = await db
    .selectFrom('commitments as k')
    .innerJoin('organisations', 'organisations.id', 'k.organisation_id')
    .selectAll('k')
    .select('organisations.name as organisation_name')
    .where('k.alliance_id', 'in', [...allianceIds])
    .orderBy(sql`k.due_date asc nulls last`)
    .orderBy('k.description')
    .orderBy('k.id')
    .execute()
  for (const r of rows) out.get(r.alliance_id)?.push(r)
  return out
}

export async function withParts(db: Executor, rows: Alliance[]): Promise<AllianceRecord[]> {
  const ids = rows.map((r) => r.id)
  const [members, commitments] = await Promise.all([membersOf(db, ids), commitmentsOf(db, ids)])
  return rows.map((r) => ({ ...r, members: members.get(r.id) ?? [], commitments: commitments.get(r.id) ?? [] }))
}

export async function findAlliance(
  db: Executor,
  id: string,
  opts: { withDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<AllianceRecord | undefined> {
  let q = db.selectFrom('alliances').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  return row && (await withParts(db, [row]))[0]
}

/** Every live alliance for the board, each column in Swedish name order. */
export async function boardAlliances(db: Executor): Promise<Map<AllianceStatus, AllianceRecord[]>> {
  const rows = await db.selectFrom('alliances').selectAll().where('deleted_at', 'is', null).orderBy('sort_name').orderBy('id').limit(2000).execute()
  const records = await withParts(db, rows)
  const columns = new Map<AllianceStatus, AllianceRecord[]>(STATUSES.map((s) => [s, []]))
  for (const r of records) columns.get(r.status)?.push(r)
  return columns
}

export interface StatusChangeView {
  id: string
  from_status: AllianceStatus | null
  to_status: AllianceStatus
  at: Date
  user_id: string | null
  user_name: string | null
  reason: string | null
}

/** The alliance's status history, newest first. */
export async function statusHistory(db: Executor, allianceId: string): Promise<StatusChangeView[]> {
  return db
    .selectFrom('alliance_status_changes as s')
    .leftJoin('users', 'users.id', 's.user_id')
    .select(['s.id', 's.from_status', 's.to_status', 's.at', 's.user_id', 'users.name as user_name', 's.reason'])
    .where('s.alliance_id', '=', allianceId)
    .orderBy('s.at', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
}

export async function contactNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('contacts').select(['id', visibleContactName().as('name')]).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name ?? '']))
}
