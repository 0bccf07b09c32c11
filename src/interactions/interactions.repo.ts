import { personContextSql } from '../contacts/person-context.ts'
import { sql } from 'kysely'
import type { Interaction } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { contactHiddenFrom, visibleContactName } from '../privacy/visibility.ts'

export interface LinkedRecord {
  id: string
  name: string
  /** A person the reader may not see (src/privacy/visibility.ts): no name, no link. */
  hidden?: boolean
}

export interface InteractionLinks {
  contacts: LinkedRecord[]
  organisations: LinkedRecord[]
}

export type InteractionRecord = Interaction & { contact_ids: string[]; organisation_ids: string[] }

/** The name as the reader may see it: '' for a person they may not see (and for an erased one). */
const contactName = () => sql<string>`coalesce(${visibleContactName()}, '')`

/** Linked contacts and organisations of each interaction, with their names, in Swedish order. */
export async function linksOf(db: Executor, interactionIds: readonly string[]): Promise<Map<string, InteractionLinks>> {
  const out = new Map<string, InteractionLinks>(interactionIds.map((id) => [id, { contacts: [], organisations: [] }]))
  if (interactionIds.length === 0) return out
  const [contacts, organisations] = await Promise.all([
    db
      .selectFrom('interaction_links')
      .innerJoin('contacts', 'contacts.id', 'interaction_links.contact_id')
      .select(['interaction_links.interaction_id', 'contacts.id', contactName().as('name'), contactHiddenFrom().as('hidden')])
      .where('interaction_links.interaction_id', 'in', [...interactionIds])
      .orderBy('contacts.sort_name')
      .orderBy('contacts.id')
      .execute(),
    db
      .selectFrom('interaction_links')
      .innerJoin('organisations', 'organisations.id', 'interaction_links.organisation_id')
      .select(['interaction_links.interaction_id', 'organisations.id', 'organisations.name'])
      .where('interaction_links.interaction_id', 'in', [...interactionIds])
      .orderBy('organisations.sort_name')
      .orderBy('organisations.id')
      .execute(),
  ])
  // A merge of two linked records can leave the same link twice: show it once.
  const add = (list: LinkedRecord[] | undefined, r: LinkedRecord & { hidden?: boolean }) => {
    if (list && !list.some((x) => x.id === r.id)) list.push({ id: r.id, name: r.name, ...(r.hidden ? { hidden: true } : {}) })
  }
  for (const r of contacts) add(out.get(r.interaction_id)?.contacts, r)
  for (const r of organisations) add(out.get(r.interaction_id)?.organisations, r)
  return out
}

export async function findInteraction(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<InteractionRecord | undefined> {
  let q = db.selectFrom('interactions').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  return (await withLinkIds(db, [row]))[0]
}

export async function withLinkIds(db: Executor, rows: Interaction[]): Promise<InteractionRecord[]> {
  const links = await linksOf(db, rows.map((r) => r.id))
  return rows.map((r) => {
    const l = links.get(r.id)!
    return { ...r, contact_ids: l.contacts.map((c) => c.id), organisation_ids: l.organisations.map((o) => o.id) }
  })
}

/** Replaces the interaction's links (inside the caller's transaction). */
export async function writeLinks(db: Executor, id: string, contactIds: readonly string[], organisationIds: readonly string[]): Promise<void> {
  await db.deleteFrom('interaction_links').where('interaction_id', '=', id).execute()
  const rows = [
    ...contactIds.map((contact_id) => ({ interaction_id: id, contact_id, organisation_id: null })),
    ...organisationIds.map((organisation_id) => ({ interaction_id: id, contact_id: null, organisation_id })),
  ]
  if (rows.length) await db.insertInto('interaction_links').values(rows).execute()
}


export interface FollowUpWindow {
  assigneeId: string
  /** Due strictly before this day (overdue). */
  before?: string
  /** Due on or after this day… */
  from?: string
  /** …and on or before this one. */
  to?: string
  limit?: number
}

/** Open follow-ups (not done, not deleted) of one person in a window of due dates, soonest first. */
export async function openFollowUps(db: Executor, w: FollowUpWindow): Promise<Interaction[]> {
  let q = db
    .selectFrom('interactions')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('follow_up_done_at', 'is', null)
    .where('follow_up_on', 'is not', null)
    .where('follow_up_assignee_id', '=', w.assigneeId)
  if (w.before) q = q.where('follow_up_on', '<', w.before)
  if (w.from) q = q.where('follow_up_on', '>=', w.from)
  if (w.to) q = q.where('follow_up_on', '<=', w.to)
  return q.orderBy('follow_up_on').orderBy('occurred_on').orderBy('id').limit(w.limit ?? 50).execute()
}

/** Interactions linked to any of these contacts or organisations. */
export const linkedTo = (column: 'contact_id' | 'organisation_id', ids: string[]) =>
  sql<boolean>`exists (select 1 from interaction_links l where l.interaction_id = interactions.id and ${sql.ref(`l.${column}`)} = any(${sql.val(ids)}::uuid[]))`

/** Live interactions linked to one contact or organisation, newest first, with who logged them. */
export async function interactionsOf(
  db: Executor,
  type: 'contact' | 'organisation',
  id: string,
  limit = 100,
): Promise<(Interaction & { created_by_name: string | null })[]> {
  return db
    .selectFrom('interactions')
    .leftJoin('users', 'users.id', 'interactions.created_by')
    .selectAll('interactions')
    .select('users.name as created_by_name')
    .where('interactions.deleted_at', 'is', null)
    .where(linkedTo(type === 'contact' ? 'contact_id' : 'organisation_id', [id]))
    .orderBy('interactions.occurred_on', 'desc')
    .orderBy('interactions.created_at', 'desc')
    .limit(limit)
    .execute()
}

export interface UserOption {
  id: string
  name: string
}

/** Active users, for choosing who follows up. */
export async function assigneeOptions(db: Executor): Promise<UserOption[]> {
  return db.selectFrom('users').select(['id', 'name']).where('deleted_at', 'is', null).where('active', '=', true).orderBy('sort_name').execute()
}

export async function userNames(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (!wanted.length) return new Map()
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Names of live contacts and organisations by id, for showing what a form has picked. */
export async function pickedNames(db: Executor, type: 'contact' | 'organisation', ids: readonly string[]): Promise<LinkedRecord[]> {
  if (!ids.length) return []
  if (type === 'organisation') {
    return db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('sort_name').execute()
  }
  return db
    .selectFrom('contacts')
    .select(['contacts.id', sql<string>`case when ${contactName()} <> '' then concat_ws(' – ', ${contactName()}, nullif(${personContextSql('contacts')}, '')) else '' end`.as('name'), contactHiddenFrom().as('hidden')])
    .where('contacts.id', 'in', [...ids])
    .where('contacts.deleted_at', 'is', null)
    .orderBy('contacts.sort_name')
    .execute()
}
