import { sql } from 'kysely'
import type { Alliance, AllianceStatus } from '../db/schema.ts'
import {
  createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type ExtraChanges,
} from '../db/write.ts'
import { missingIds, unlinkableContacts } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findAlliance, type AllianceRecord, type CommitmentView, type MemberView } from './alliances.repo.ts'
import type { AllianceInput, AlliancePatch, CommitmentInput, MemberInput } from './alliances.schema.ts'

export { findAlliance, type AllianceRecord }

/** Derived columns kept in step with the fields they come from. */
export function derived(values: Partial<AllianceInput>, current?: Alliance) {
  const pick = <K extends 'name' | 'purpose' | 'next_step'>(k: K) => (values[k] !== undefined ? values[k] : (current?.[k] ?? null))
  const name = pick('name') ?? ''
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, pick('purpose'), pick('next_step')) }
}

type MemberLike = Pick<MemberInput, 'organisation_id' | 'role' | 'contact_id' | 'start_date' | 'end_date'>
type CommitmentLike = Pick<CommitmentInput, 'organisation_id' | 'description' | 'due_date' | 'status'>

/** A list as the audit log keeps it: the fields that matter, without ids, in a stable order. */
function auditValue<T extends object>(list: readonly T[], keys: readonly (keyof T)[]) {
  return list
    .map((x) => Object.fromEntries(keys.map((k) => [k, x[k] ?? null])))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0))
}

const MEMBER_KEYS = ['organisation_id', 'role', 'contact_id', 'start_date', 'end_date'] as const
const COMMITMENT_KEYS = ['organisation_id', 'description', 'due_date', 'status'] as const

function listChange<T extends object>(field: string, keys: readonly (keyof T)[], before: readonly T[], after: readonly T[] | undefined): ExtraChanges {
  if (!after) return {}
  const [a, b] = [auditValue(before, keys), auditValue(after, keys)]
  return JSON.stringify(a) === JSON.stringify(b) ? {} : { [field]: [before.length ? a : null, b] }
}

/** Members' and commitments' changes, for the same audit row as the alliance's own fields. */
function partChanges(current: Pick<AllianceRecord, 'members' | 'commitments'> | null, members?: MemberInput[], commitments?: CommitmentInput[]): ExtraChanges {
  return {
    ...listChange<MemberLike>('members', MEMBER_KEYS, current?.members ?? [], members?.length || current ? members : undefined),
    ...listChange<CommitmentLike>('commitments', COMMITMENT_KEYS, current?.commitments ?? [], commitments?.length || current ? commitments : undefined),
  }
}

/** Checks what a single field cannot: references that exist, dates in order, commitments by members. */
async function checkRules(db: Executor, values: AlliancePatch, current?: AllianceRecord): Promise<void> {
  const fields: Record<string, string> = {}
  const start = values.start_date !== undefined ? values.start_date : (current?.start_date ?? null)
  const end = values.end_date !== undefined ? values.end_date : (current?.end_date ?? null)
  if (start && end && end < start) fields.end_date = 'alliance.end_before_start'
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) fields.theme_ids = 'validation.unknown_reference'

  // A member kept as it was may name an organisation or person deleted since: only new links must be live.
  const keptOrgs = new Set(current?.members.map((m) => m.organisation_id))
  const keptContacts = new Set(current?.members.flatMap((m) => (m.contact_id ? [m.contact_id] : [])))
  const list = values.members ?? []
  const newOrgs = list.map((m) => m.organisation_id).filter((id) => !keptOrgs.has(id))
  const newContacts = list.flatMap((m) => (m.contact_id && !keptContacts.has(m.contact_id) ? [m.contact_id] : []))
  const [missingOrgs, missingContacts] = await Promise.all([
    missingIds(db, 'organisations', [...new Set(newOrgs)]).then((ids) => new Set(ids)),
    unlinkableContacts(db, [...new Set(newContacts)]).then((ids) => new Set(ids)),
  ])
  list.forEach((m, i) => {
    if (missingOrgs.has(m.organisation_id)) fields[`members.${i}.organisation_id`] = 'validation.unknown_reference'
    if (m.contact_id && missingContacts.has(m.contact_id)) fields[`members.${i}.contact_id`] = 'validation.unknown_reference'
  })

  // Only a member can commit to something in the alliance, whichever of the two lists changed.
  const memberOrgs = new Set((values.members ?? current?.members ?? []).map((m) => m.organisation_id))
  const commitments: { organisation_id: string }[] = values.commitments ?? current?.commitments ?? []
  commitments.forEach((k, i) => {
    if (!memberOrgs.has(k.organisation_id)) fields[`commitments.${i}.organisation_id`] = 'alliance.commitment_not_member'
  })
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

/** Makes the alliance's members exactly `list`, keeping the ids of those sent back. */
async function replaceMembers(tx: Executor, allianceId: string, list: MemberInput[], existing: MemberView[]): Promise<void> {
  const unclaimed = new Set(existing.map((m) => m.id))
  // Delete and insert again (same ids) rather than update in place: two rows swapping
  // organisations would trip the one-member-per-organisation constraint half-way.
  await tx.deleteFrom('alliance_members').where('alliance_id', '=', allianceId).execute()
  if (!list.length) return
  await tx
    .insertInto('alliance_members')
    .values(list.map((m) => ({
      ...(m.id && unclaimed.delete(m.id) ? { id: m.id } : {}),
      alliance_id: allianceId,
      organisation_id: m.organisation_id,
      role: m.role,
      contact_id: m.contact_id,
      start_date: m.start_date,
      end_date: m.end_date,
    })))
    .execute()
}

/** Makes the commitments exactly `list`, keeping ids sent back and when each was done. */
async function replaceCommitments(tx: Executor, allianceId: string, list: CommitmentInput[], existing: CommitmentView[]): Promise<void> {
  const before = new Map(existing.map((k) => [k.id, k]))
  await tx.deleteFrom('commitments').where('alliance_id', '=', allianceId).execute()
  if (!list.length) return
  await tx
    .insertInto('commitments')
    .values(list.map((k) => {
      const was = k.id ? before.get(k.id) : undefined
      if (was) before.delete(was.id)
      const doneAt = k.status !== 'done' ? null : was?.status === 'done' ? was.done_at : sql<Date>`now()`
      return {
        ...(was ? { id: was.id } : {}),
        alliance_id: allianceId,
        organisation_id: k.organisation_id,
        description: k.description,
        due_date: k.due_date,
        status: k.status,
        done_at: doneAt as Date | null,
      }
    }))
    .execute()
}

async function recordStatusChange(tx: Executor, allianceId: string, from: AllianceStatus | null, to: AllianceStatus, reason: string | null, actor: Actor) {
  await tx.insertInto('alliance_status_changes').values({ alliance_id: allianceId, from_status: from, to_status: to, reason, user_id: actor.userId }).execute()
}

async function reload(tx: Executor, id: string): Promise<AllianceRecord> {
  const a = await findAlliance(tx, id, { withDeleted: true })
  if (!a) throw new NotFoundError()
  return a
}

export async function createAlliance(db: Executor, input: AllianceInput, actor: Actor): Promise<AllianceRecord> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    const { members, commitments, status_reason, links, ...fields } = input
    const row = await createRecord(
      tx, 'alliances', { ...fields, links: JSON.stringify(links), ...derived(fields) }, actor, partChanges(null, members, commitments),
    )
    await replaceMembers(tx, row.id, members, [])
    await replaceCommitments(tx, row.id, commitments, [])
    await recordStatusChange(tx, row.id, null, row.status, status_reason, actor)
    return reload(tx, row.id)
  })
}

export async function updateAlliance(
  db: Executor,
  id: string,
  version: number,
  patch: AlliancePatch,
  actor: Actor,
): Promise<AllianceRecord> {
  return inTransaction(db, async (tx) => {
    // Locked first, so the members and commitments compared for the audit are the ones replaced.
    const current = await findAlliance(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    await checkRules(tx, patch, current)
    const { members, commitments, status_reason, links, ...fields } = patch
    const row = { ...fields, ...(links ? { links: JSON.stringify(links) } : {}), ...derived(fields, current) }
    await updateRecord(tx, 'alliances', id, version, row, actor, partChanges(current, members, commitments))
    if (members) await replaceMembers(tx, id, members, current.members)
    if (commitments) await replaceCommitments(tx, id, commitments, current.commitments)
    if (fields.status && fields.status !== current.status) await recordStatusChange(tx, id, current.status, fields.status, status_reason ?? null, actor)
    return reload(tx, id)
  })
}

/** Moves the alliance to `status` (the board, the status form), keeping why in its history. */
export async function changeStatus(
  db: Executor,
  id: string,
  version: number,
  status: AllianceStatus,
  reason: string | null,
  actor: Actor,
): Promise<AllianceRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findAlliance(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    if (current.status === status) return current
    await updateRecord(tx, 'alliances', id, version, { status }, actor)
    await recordStatusChange(tx, id, current.status, status, reason, actor)
    return reload(tx, id)
  })
}

export async function deleteAlliance(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'alliances', id, actor, version)
}

export async function restoreAlliance(db: Executor, id: string, actor: Actor): Promise<AllianceRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'alliances', id, actor)
    return reload(tx, id)
  })
}

/**
 * One commitment's status changed on its own (the alliance page, the dashboard), without the whole
 * form. Checked against the alliance's version, as an edit of the alliance's lists would be, and
 * audited on the alliance like any change of its commitments.
 */
export async function changeCommitmentStatus(
  db: Executor,
  allianceId: string,
  commitmentId: string,
  version: number,
  status: CommitmentInput['status'],
  actor: Actor,
): Promise<AllianceRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findAlliance(tx, allianceId, { forUpdate: true })
    if (!current) throw new NotFoundError()
    const was = current.commitments.find((k) => k.id === commitmentId)
    if (!was) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    if (was.status === status) return current
    await tx
      .updateTable('commitments')
      .set({ status, done_at: status === 'done' ? sql<Date>`now()` : null })
      .where('id', '=', commitmentId)
      .where('alliance_id', '=', allianceId)
      .execute()
    const after = current.commitments.map((k) => (k.id === commitmentId ? { ...k, status } : k))
    await updateRecord(tx, 'alliances', allianceId, version, {}, actor, listChange<CommitmentLike>('commitments', COMMITMENT_KEYS, current.commitments, after))
    return reload(tx, allianceId)
  })
}
