import type { Body } from '../db/schema.ts'
import {
  createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type ExtraChanges,
} from '../db/write.ts'
import { missingIds, unlinkableContacts } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findBody, type BodyRecord, type SeatView } from './bodies.repo.ts'
import type { BodyInput, SeatInput } from './bodies.schema.ts'

export function toApiBody(b: BodyRecord) {
  return {
    id: b.id,
    name: b.name,
    kind: b.kind,
    description: b.description,
    seats: b.seats.map((s) => ({
      id: s.id,
      contact_id: s.contact_id,
      organisation_id: s.organisation_id,
      role: s.role,
      start_date: s.start_date,
      end_date: s.end_date,
    })),
    version: b.version,
    created_at: b.created_at.toISOString(),
    updated_at: b.updated_at.toISOString(),
  }
}

export const BODY_CSV_FIELDS = ['id', 'name', 'kind', 'description', 'members', 'version', 'created_at', 'updated_at'] as const

/** A row of the CSV export: the API's fields, with the members as "name (role, start–end)". */
export function bodyCsvRow(b: BodyRecord) {
  // A file leaves the register: a person the export may not name is left out (src/privacy/visibility.ts).
  const members = b.seats.filter((s) => !s.contact_hidden).map((s) => `${s.contact_name} (${[s.role, s.start_date || s.end_date ? `${s.start_date ?? ''}–${s.end_date ?? ''}` : ''].filter(Boolean).join(', ')})`)
  return { ...toApiBody(b), members }
}

function derived(values: Partial<BodyInput>, current?: Body) {
  const name = values.name ?? current?.name ?? ''
  const description = values.description !== undefined ? values.description : (current?.description ?? null)
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, description) }
}

type Comparable = Pick<SeatInput, 'contact_id' | 'organisation_id' | 'role' | 'start_date' | 'end_date'>

/** The seats as the audit log keeps them: without ids, in a stable order. */
function auditValue(list: readonly Comparable[]) {
  return list
    .map((s) => ({ contact_id: s.contact_id, organisation_id: s.organisation_id, role: s.role, start_date: s.start_date, end_date: s.end_date }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

function seatChange(before: readonly Comparable[], after: readonly Comparable[] | undefined): ExtraChanges {
  if (!after) return {}
  const [a, b] = [auditValue(before), auditValue(after)]
  return JSON.stringify(a) === JSON.stringify(b) ? {} : { seats: [before.length ? a : null, b] }
}

/**
 * New or changed seats must name a live contact and organisation. A seat kept as it was may name
 * one deleted since: the body's history stays as it was.
 */
async function checkSeats(db: Executor, list: SeatInput[] | undefined, current?: BodyRecord): Promise<void> {
  if (!list?.length) return
  const key = (s: { id?: string; contact_id: string; organisation_id: string | null }) => `${s.id}/${s.contact_id}/${s.organisation_id}`
  const kept = new Set(current?.seats.map(key))
  const added = list.map((s, i) => ({ i, s })).filter(({ s }) => !kept.has(key(s)))
  const [contacts, organisations] = await Promise.all([
    unlinkableContacts(db, [...new Set(added.map(({ s }) => s.contact_id))]),
    missingIds(db, 'organisations', [...new Set(added.flatMap(({ s }) => (s.organisation_id ? [s.organisation_id] : [])))]),
  ])
  const fields: Record<string, string> = {}
  for (const { i, s } of added) {
    if (contacts.includes(s.contact_id)) fields[`seats.${i}.contact_id`] = 'validation.unknown_reference'
    if (s.organisation_id && organisations.includes(s.organisation_id)) fields[`seats.${i}.organisation_id`] = 'validation.unknown_reference'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

/** Makes the body's seats exactly `list`, keeping the ids of those sent back. */
async function replaceSeats(tx: Executor, bodyId: string, list: SeatInput[], existing: SeatView[]): Promise<void> {
  const unclaimed = new Set(existing.map((s) => s.id))
  const keep = list.map((s) => (s.id && unclaimed.delete(s.id) ? s.id : null))
  if (unclaimed.size) await tx.deleteFrom('body_seats').where('id', 'in', [...unclaimed]).execute()
  for (const [i, s] of list.entries()) {
    const row = { contact_id: s.contact_id, organisation_id: s.organisation_id, role: s.role, start_date: s.start_date, end_date: s.end_date }
    const id = keep[i]
    if (id) await tx.updateTable('body_seats').set(row).where('id', '=', id).where('body_id', '=', bodyId).execute()
    else await tx.insertInto('body_seats').values({ ...row, body_id: bodyId }).execute()
  }
}

async function reload(tx: Executor, id: string): Promise<BodyRecord> {
  const b = await findBody(tx, id, { withDeleted: true })
  if (!b) throw new NotFoundError()
  return b
}

export async function createBody(db: Executor, input: BodyInput, actor: Actor): Promise<BodyRecord> {
  return inTransaction(db, async (tx) => {
    await checkSeats(tx, input.seats)
    const { seats, ...fields } = input
    const row = await createRecord(tx, 'bodies', { ...fields, ...derived(fields) }, actor, seatChange([], seats.length ? seats : undefined))
    await replaceSeats(tx, row.id, seats, [])
    return reload(tx, row.id)
  })
}

export async function updateBody(db: Executor, id: string, version: number, patch: Partial<BodyInput>, actor: Actor): Promise<BodyRecord> {
  return inTransaction(db, async (tx) => {
    // Locked first, so the seats compared for the audit are the ones being replaced.
    const current = await findBody(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version === version) await checkSeats(tx, patch.seats, current)
    const { seats, ...fields } = patch
    await updateRecord(tx, 'bodies', id, version, { ...fields, ...derived(fields, current) }, actor, seatChange(current.seats, seats))
    if (seats) await replaceSeats(tx, id, seats, current.seats)
    return reload(tx, id)
  })
}

export async function deleteBody(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'bodies', id, actor, version)
}

export async function restoreBody(db: Executor, id: string, actor: Actor): Promise<BodyRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'bodies', id, actor)
    return reload(tx, id)
  })
}
