import type { Project } from '../db/schema.ts'
import {
  createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type ExtraChanges,
} from '../db/write.ts'
import { missingIds } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findProject, type PartnerView, type ProjectRecord } from './projects.repo.ts'
import type { PartnerInput, ProjectInput, ProjectPatch } from './projects.schema.ts'

export { findProject, type ProjectRecord }

export function toApiProject(p: ProjectRecord) {
  return {
    id: p.id,
    name: p.name,
    programme: p.programme,
    start_date: p.start_date,
    end_date: p.end_date,
    status: p.status,
    lead_organisation_id: p.lead_organisation_id,
    partners: p.partners.map((x) => ({ id: x.id, organisation_id: x.organisation_id, role: x.role })),
    theme_ids: p.theme_ids,
    evaluation: p.evaluation,
    notes: p.notes,
    version: p.version,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  }
}

export const PROJECT_CSV_COLUMNS = [
  'id', 'name', 'programme', 'status', 'start_date', 'end_date', 'lead_organisation_id', 'lead_organisation', 'partners',
  'theme_ids', 'evaluation', 'notes', 'version', 'created_at', 'updated_at',
] as const

/** A row of the CSV export: the API's fields, with the lead's name and the partners as "name (role)". */
export function projectCsvRow(p: ProjectRecord) {
  return {
    ...toApiProject(p),
    lead_organisation: p.lead_organisation_name,
    partners: p.partners.map((x) => (x.role ? `${x.organisation_name} (${x.role})` : x.organisation_name)),
  }
}

/** Derived columns kept in step with the fields they come from. */
function derived(values: Partial<ProjectInput>, current?: Project) {
  const name = values.name ?? current?.name ?? ''
  const evaluation = values.evaluation !== undefined ? values.evaluation : (current?.evaluation ?? null)
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, evaluation) }
}

type Comparable = Pick<PartnerInput, 'organisation_id' | 'role'>

/** The partners as the audit log keeps them: without ids, in a stable order. */
function auditValue(list: readonly Comparable[]) {
  return list
    .map((p) => ({ organisation_id: p.organisation_id, role: p.role ?? null }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

function partnerChange(before: readonly Comparable[], after: readonly Comparable[] | undefined): ExtraChanges {
  if (!after) return {}
  const [a, b] = [auditValue(before), auditValue(after)]
  return JSON.stringify(a) === JSON.stringify(b) ? {} : { partners: [before.length ? a : null, b] }
}

/**
 * Checks what a single field cannot: dates in order, and references that exist. A lead or
 * partner kept as it was may name an organisation deleted since: only new links must be live.
 */
async function checkRules(db: Executor, values: ProjectPatch, current?: ProjectRecord): Promise<void> {
  const fields: Record<string, string> = {}
  const start = values.start_date !== undefined ? values.start_date : (current?.start_date ?? null)
  const end = values.end_date !== undefined ? values.end_date : (current?.end_date ?? null)
  if (start && end && end < start) fields.end_date = 'project.end_before_start'
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) fields.theme_ids = 'validation.unknown_reference'
  const lead = values.lead_organisation_id
  if (lead && lead !== current?.lead_organisation_id && (await missingIds(db, 'organisations', [lead])).length) {
    fields.lead_organisation_id = 'validation.unknown_reference'
  }
  const kept = new Set(current?.partners.map((p) => p.organisation_id))
  const list = values.partners ?? []
  const missing = new Set(await missingIds(db, 'organisations', [...new Set(list.map((p) => p.organisation_id).filter((id) => !kept.has(id)))]))
  list.forEach((p, i) => {
    if (missing.has(p.organisation_id)) fields[`partners.${i}.organisation_id`] = 'validation.unknown_reference'
  })
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

/** Makes the project's partners exactly `list`, keeping the ids of those sent back. */
async function replacePartners(tx: Executor, projectId: string, list: PartnerInput[], existing: PartnerView[]): Promise<void> {
  const unclaimed = new Set(existing.map((p) => p.id))
  // Delete and insert again (same ids) rather than update in place: two rows swapping
  // organisations would trip the one-row-per-organisation index half-way.
  await tx.deleteFrom('project_partners').where('project_id', '=', projectId).execute()
  if (!list.length) return
  await tx
    .insertInto('project_partners')
    .values(list.map((p) => ({
      ...(p.id && unclaimed.delete(p.id) ? { id: p.id } : {}),
      project_id: projectId,
      organisation_id: p.organisation_id,
      role: p.role,
    })))
    .execute()
}

async function reload(tx: Executor, id: string): Promise<ProjectRecord> {
  const p = await findProject(tx, id, { withDeleted: true })
  if (!p) throw new NotFoundError()
  return p
}

export async function createProject(db: Executor, input: ProjectInput, actor: Actor): Promise<ProjectRecord> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    const { partners, ...fields } = input
    const row = await createRecord(tx, 'projects', { ...fields, ...derived(fields) }, actor, partnerChange([], partners.length ? partners : undefined))
    await replacePartners(tx, row.id, partners, [])
    return reload(tx, row.id)
  })
}

export async function updateProject(db: Executor, id: string, version: number, patch: ProjectPatch, actor: Actor): Promise<ProjectRecord> {
  return inTransaction(db, async (tx) => {
    // Locked first, so the partners compared for the audit are the ones being replaced.
    const current = await findProject(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version === version) await checkRules(tx, patch, current)
    const { partners, ...fields } = patch
    await updateRecord(tx, 'projects', id, version, { ...fields, ...derived(fields, current) }, actor, partnerChange(current.partners, partners))
    if (partners) await replacePartners(tx, id, partners, current.partners)
    return reload(tx, id)
  })
}

export async function deleteProject(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'projects', id, actor, version)
}

export async function restoreProject(db: Executor, id: string, actor: Actor): Promise<ProjectRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'projects', id, actor)
    return reload(tx, id)
  })
}
