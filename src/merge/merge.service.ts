import { sql } from 'kysely'
import { affiliationsOf } from '../contacts/contacts.repo.ts'
import { lacksName } from '../contacts/contacts.schema.ts'
import { affiliationChange, derived as contactDerived } from '../contacts/contacts.service.ts'
import type { Contact, Organisation } from '../db/schema.ts'
import { audit, diff, inTransaction, untyped, type Actor, type Executor } from '../db/write.ts'
import { ancestorsOf } from '../organisations/organisations.repo.ts'
import { derived as organisationDerived } from '../organisations/organisations.service.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { mergedValues, type Side } from './merge-fields.ts'
import type { MergeEntity } from './links.ts'
import { moveLinks } from './merge-links.ts'

export interface MergeInput {
  other_id: string
  version: number
  other_version: number
  fields: Record<string, Side>
}

type Row = (Organisation | Contact) & Record<string, unknown>
const ENTITY_TYPE = { organisations: 'organisation', contacts: 'contact' } as const

/** Both records, locked, in id order (two merges of the same pair cannot wait on each other). */
async function lockPair(tx: Executor, entity: MergeEntity, ids: [string, string]): Promise<Map<string, Row>> {
  const rows = await untyped(tx)
    .selectFrom(entity)
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute()
  return new Map(rows.map((r) => [String(r.id), r as Row]))
}

/** An organisation cannot end up below itself: the chosen parent may not be either record or below them. */
async function checkParent(tx: Executor, values: Record<string, unknown>, self: Row, other: Row): Promise<void> {
  const pair = [self.id, other.id]
  if (pair.includes(values.parent_id as string)) {
    const fallback = (other.parent_id ?? self.parent_id) as string | null
    values.parent_id = fallback && !pair.includes(fallback) ? fallback : null
  }
  if (values.parent_id && (await ancestorsOf(tx, values.parent_id as string)).some((a) => pair.includes(a.id))) {
    throw new ValidationError({ parent_id: 'validation.parent_cycle' })
  }
}

/**
 * Merges `input.other_id` into `survivorId` in one transaction: both versions checked, the other
 * soft-deleted with `merged_into_id` (audited as a delete), its links moved (links.ts), and the
 * survivor updated with the chosen fields (audited as a merge, naming the record merged in).
 */
export async function mergeRecords(db: Executor, entity: MergeEntity, survivorId: string, input: MergeInput, actor: Actor): Promise<Row> {
  if (survivorId === input.other_id) throw new ValidationError({ other_id: 'merge.same_record' })
  return inTransaction(db, async (tx) => {
    const locked = await lockPair(tx, entity, [survivorId, input.other_id])
    const self = locked.get(survivorId)
    const other = locked.get(input.other_id)
    if (!self || self.deleted_at) throw new NotFoundError()
    if (!other || other.deleted_at) throw new ValidationError({ other_id: 'validation.unknown_reference' })
    if (self.version !== input.version || other.version !== input.other_version) throw new StaleVersionError(self)
    if (entity === 'contacts' && ((self as Contact).erased_at || (other as Contact).erased_at)) throw new ValidationError({ other_id: 'merge.erased' })

    const values = mergedValues(entity, self, other, input.fields)
    if (entity === 'organisations') await checkParent(tx, values, self, other)
    if (entity === 'contacts' && lacksName(values.first_name as string | null, values.last_name as string | null)) {
      throw new ValidationError({ first_name: 'contact.name_required' })
    }
    const q = untyped(tx)
    const type = ENTITY_TYPE[entity]
    const affiliationsBefore = entity === 'contacts' ? (await affiliationsOf(tx, [self.id])).get(self.id)! : []

    // The other goes first, so that its unique e-mail address or organisation number is free for the survivor.
    const otherAfter = await q
      .updateTable(entity)
      .set({ deleted_at: sql`now()`, merged_into_id: self.id, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', other.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(tx, actor, type, other.id, 'delete', diff(other, otherAfter))

    const moved = await moveLinks(tx, entity, self.id, other.id, actor)
    const derived = entity === 'organisations' ? organisationDerived(values) : contactDerived(values)
    const selfAfter = (await q
      .updateTable(entity)
      .set({ ...values, ...derived, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', self.id)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row
    const extra = entity === 'contacts'
      ? affiliationChange(affiliationsBefore, (await affiliationsOf(tx, [self.id])).get(self.id)!)
      : {}
    await audit(tx, actor, type, self.id, 'merge', {
      ...diff(self, selfAfter),
      ...extra,
      merged_from: [null, other.id],
      ...(Object.keys(moved).length ? { moved_links: [null, moved] } : {}),
    })
    return selfAfter
  })
}
