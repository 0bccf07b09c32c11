import type { Product } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { missingIds } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findProduct, type ProductRecord } from './products.repo.ts'
import { lacksSummaryForPublic, type ProductInput, type ProductPatch } from './products.schema.ts'

export { findProduct, type ProductRecord }

export function toApiProduct(p: ProductRecord) {
  return {
    id: p.id,
    title: p.title,
    kind: p.kind,
    project_id: p.project_id,
    theme_ids: p.theme_ids,
    url: p.url,
    summary: p.summary,
    good_practice_status: p.good_practice_status,
    public: p.public,
    version: p.version,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  }
}

export const PRODUCT_CSV_COLUMNS = [
  'id', 'title', 'kind', 'project_id', 'project', 'good_practice_status', 'public', 'url', 'summary', 'theme_ids',
  'version', 'created_at', 'updated_at',
] as const

/** A row of the CSV export: the API's fields, with the project's name. */
export function productCsvRow(p: ProductRecord) {
  return { ...toApiProduct(p), project: p.project_name, public: p.public ? 'true' : 'false' }
}

/** Derived columns kept in step with the fields they come from. */
function derived(values: ProductPatch, current?: Product) {
  const title = values.title ?? current?.title ?? ''
  const summary = values.summary !== undefined ? values.summary : (current?.summary ?? null)
  return { sort_name: swedishSortKey(title), search_text: foldForSearch(title, summary) }
}

/**
 * Checks what a single field cannot: a public product has a summary (also when a PATCH sends
 * only one of the two), and references that exist. A project kept as it was may have been
 * deleted since: only a new link must be live.
 */
async function checkRules(db: Executor, values: ProductPatch, current?: Product): Promise<void> {
  const fields: Record<string, string> = {}
  const merged = {
    public: values.public ?? current?.public ?? false,
    summary: values.summary !== undefined ? values.summary : (current?.summary ?? null),
  }
  if (lacksSummaryForPublic(merged)) fields.public = 'product.public_needs_summary'
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) fields.theme_ids = 'validation.unknown_reference'
  const project = values.project_id
  if (project && project !== current?.project_id && (await missingIds(db, 'projects', [project])).length) {
    fields.project_id = 'validation.unknown_reference'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

async function reload(tx: Executor, id: string): Promise<ProductRecord> {
  const p = await findProduct(tx, id, { withDeleted: true })
  if (!p) throw new NotFoundError()
  return p
}

export async function createProduct(db: Executor, input: ProductInput, actor: Actor): Promise<ProductRecord> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    const row = await createRecord(tx, 'products', { ...input, ...derived(input) }, actor)
    return reload(tx, row.id)
  })
}

export async function updateProduct(db: Executor, id: string, version: number, patch: ProductPatch, actor: Actor): Promise<ProductRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findProduct(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version === version) await checkRules(tx, patch, current)
    await updateRecord(tx, 'products', id, version, { ...patch, ...derived(patch, current) }, actor)
    return reload(tx, id)
  })
}

export async function deleteProduct(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'products', id, actor, version)
}

export async function restoreProduct(db: Executor, id: string, actor: Actor): Promise<ProductRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'products', id, actor)
    return reload(tx, id)
  })
}
