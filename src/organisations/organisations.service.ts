import type { Organisation } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { missingIds } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { ancestorsOf, findByOrgNumber, findOrganisation } from './organisations.repo.ts'
import type { OrganisationInput } from './organisations.schema.ts'

export function toApiOrganisation(o: Organisation) {
  return {
    id: o.id,
    name: o.name,
    short_name: o.short_name,
    kind: o.kind,
    country: o.country,
    county: o.county,
    org_number: o.org_number,
    website: o.website,
    parent_id: o.parent_id,
    influence: o.influence,
    interest: o.interest,
    tags: o.tags,
    theme_ids: o.theme_ids,
    notes: o.notes,
    merged_into_id: o.merged_into_id,
    version: o.version,
    created_at: o.created_at.toISOString(),
    updated_at: o.updated_at.toISOString(),
  }
}

export const ORGANISATION_CSV_FIELDS = [
  'id', 'name', 'short_name', 'kind', 'country', 'county', 'org_number', 'website', 'parent_id',
  'influence', 'interest', 'tags', 'theme_ids', 'notes', 'version', 'created_at', 'updated_at',
] as const

/** Derived columns kept in step with the fields they come from (also used by the batched CSV import and merge). */
export function derived(values: Partial<OrganisationInput>, current?: Organisation) {
  const name = values.name ?? current?.name ?? ''
  const shortName = values.short_name !== undefined ? values.short_name : (current?.short_name ?? null)
  const orgNumber = values.org_number !== undefined ? values.org_number : (current?.org_number ?? null)
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, shortName, orgNumber) }
}

/** Checks what a single field cannot: references exist, no loops in the hierarchy, a unique org number. */
async function checkReferences(db: Executor, values: Partial<OrganisationInput>, selfId?: string): Promise<void> {
  const fields: Record<string, string> = {}
  if (values.org_number) {
    const other = await findByOrgNumber(db, values.org_number)
    if (other && other.id !== selfId) fields.org_number = 'validation.org_number_taken'
  }
  if (values.parent_id) {
    if (values.parent_id === selfId) fields.parent_id = 'validation.parent_cycle'
    else if (!(await findOrganisation(db, values.parent_id))) fields.parent_id = 'validation.unknown_reference'
    else if (selfId && (await ancestorsOf(db, values.parent_id)).some((a) => a.id === selfId)) fields.parent_id = 'validation.parent_cycle'
  }
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) {
    fields.theme_ids = 'validation.unknown_reference'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

export async function createOrganisation(db: Executor, input: OrganisationInput, actor: Actor): Promise<Organisation> {
  return inTransaction(db, async (tx) => {
    await checkReferences(tx, input)
    return createRecord(tx, 'organisations', { ...input, ...derived(input) }, actor)
  })
}

export async function updateOrganisation(
  db: Executor,
  id: string,
  version: number,
  patch: Partial<OrganisationInput>,
  actor: Actor,
): Promise<Organisation> {
  return inTransaction(db, async (tx) => {
    const current = await findOrganisation(tx, id)
    if (current) await checkReferences(tx, patch, id)
    return updateRecord(tx, 'organisations', id, version, { ...patch, ...derived(patch, current) }, actor)
  })
}

export async function deleteOrganisation(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'organisations', id, actor, version)
}

export async function restoreOrganisation(db: Executor, id: string, actor: Actor): Promise<Organisation> {
  return inTransaction(db, async (tx) => {
    const o = await findOrganisation(tx, id, { withDeleted: true })
    if (o?.org_number) {
      const other = await findByOrgNumber(tx, o.org_number)
      if (other && other.id !== id) throw new ValidationError({ org_number: 'validation.org_number_taken' })
    }
    return restoreRecord(tx, 'organisations', id, actor)
  })
}
