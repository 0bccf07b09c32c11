import { sql } from 'kysely'
import type { FailedImportRow, ImportEntity, KeptRecord } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { Mapping } from './import-fields.ts'
import { dropUploadContent, readUploadContent, storeUploadContent } from './upload-store.ts'

export interface Upload {
  id: string
  user_id: string
  entity: ImportEntity
  filename: string
  /** How many pieces the file is stored in; null once emptied (or never stored whole). */
  chunks: number | null
  delimiter: string
  mapping: Mapping | null
  options: Record<string, string>
  report_id: string | null
  created_at: Date
}

/** Uploads older than this are removed (and an unfinished import with them). */
const UPLOAD_TTL = sql`interval '24 hours'`
/** Reports keep the failed rows, which may hold personal data: not for longer than needed. */
export const REPORT_DAYS = 30

/**
 * Retention of what an import keeps (README, "CSV import"): an uploaded file — full of personal
 * data — for 24 hours (emptied as soon as it is imported), a report and its failed rows for
 * REPORT_DAYS days. Run at start and every hour; returns how many of each went.
 */
export async function deleteExpiredImports(db: Executor): Promise<{ uploads: number; reports: number }> {
  const uploads = await db.deleteFrom('import_uploads').where('created_at', '<', sql<Date>`now() - ${UPLOAD_TTL}`).executeTakeFirst()
  const reports = await db.deleteFrom('import_reports').where('created_at', '<', sql<Date>`now() - make_interval(days => ${REPORT_DAYS})`).executeTakeFirst()
  return { uploads: Number(uploads.numDeletedRows), reports: Number(reports.numDeletedRows) }
}

export async function saveUpload(
  db: Executor,
  u: { user_id: string; entity: ImportEntity; filename: string; content: string; delimiter: string },
): Promise<string> {
  await deleteExpiredImports(db)
  const { content, ...fields } = u
  const row = await db.insertInto('import_uploads').values(fields).returning('id').executeTakeFirstOrThrow()
  try {
    await storeUploadContent(db, row.id, content)
  } catch (err) {
    await db.deleteFrom('import_uploads').where('id', '=', row.id).execute().catch(() => {})
    throw err
  }
  return row.id
}

/** The user's own upload of the last 24 hours; someone else's is as good as missing. */
export async function findUpload(db: Executor, id: string, userId: string, opts: { forUpdate?: boolean } = {}): Promise<Upload | undefined> {
  let q = db
    .selectFrom('import_uploads')
    .select(['id', 'user_id', 'entity', 'filename', 'chunks', 'delimiter', 'mapping', 'options', 'report_id', 'created_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('created_at', '>=', sql<Date>`now() - ${UPLOAD_TTL}`)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as Upload | undefined
}

/** The user's upload with its file (read in pieces, src/import/upload-store.ts); undefined when either is gone. */
export async function findUploadWithContent(db: Executor, id: string, userId: string): Promise<(Upload & { content: string }) | undefined> {
  const upload = await findUpload(db, id, userId)
  const content = upload && (await readUploadContent(db, upload))
  return upload && content !== undefined ? { ...upload, content } : undefined
}

export async function saveMapping(db: Executor, upload: Upload, key: string, mapping: Mapping): Promise<void> {
  await db.updateTable('import_uploads').set({ mapping: JSON.stringify(mapping) }).where('id', '=', upload.id).execute()
  await db
    .insertInto('import_mappings')
    .values({ header_key: key, entity: upload.entity, mapping: JSON.stringify(mapping) })
    .onConflict((oc) => oc.column('header_key').doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: sql`now()` }))
    .execute()
}

export async function rememberedMapping(db: Executor, key: string): Promise<Mapping | undefined> {
  const row = await db.selectFrom('import_mappings').select('mapping').where('header_key', '=', key).executeTakeFirst()
  return row?.mapping
}

/** Once imported the file is no longer needed; the row stays (until it expires) to answer a second submit. */
export async function markImported(db: Executor, uploadId: string, reportId: string): Promise<void> {
  await db.updateTable('import_uploads').set({ report_id: reportId }).where('id', '=', uploadId).execute()
  await dropUploadContent(db, uploadId)
}

export interface ReportCounts {
  total: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  failed: number
}

export async function saveReport(
  db: Executor,
  r: { user_id: string; entity: ImportEntity; filename: string; headers: string[]; failed_rows: FailedImportRow[] } & ReportCounts,
): Promise<string> {
  const row = await db
    .insertInto('import_reports')
    .values({ ...r, headers: JSON.stringify(r.headers), failed_rows: JSON.stringify(r.failed_rows) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findReport(db: Executor, id: string, userId: string) {
  return db.selectFrom('import_reports').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
}

export async function recentReports(db: Executor, userId: string, limit = 10) {
  return db
    .selectFrom('import_reports')
    .select(['id', 'entity', 'filename', 'total', 'created', 'updated', 'unchanged', 'skipped', 'failed', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
}

/** The names of the records an undo kept, as they are now (none is stored with the report). */
export async function keptLabels(db: Executor, kept: readonly KeptRecord[]): Promise<(KeptRecord & { label: string })[]> {
  const ids = (type: KeptRecord['type']) => kept.filter((k) => k.type === type).map((k) => k.id)
  const labels = new Map<string, string>()
  const orgs = ids('organisation')
  if (orgs.length) for (const r of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgs).execute()) labels.set(r.id, r.name)
  const people = ids('contact')
  if (people.length) {
    const rows = await db.selectFrom('contacts').select(['id', sql<string>`trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`.as('name')]).where('id', 'in', people).execute()
    for (const r of rows) labels.set(r.id, r.name)
  }
  return kept.map((k) => ({ ...k, label: labels.get(k.id) ?? '' }))
}
