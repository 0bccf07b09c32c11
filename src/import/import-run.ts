import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { affiliationChange, derived as contactDerived, updateContact, withPrimary } from '../contacts/contacts.service.ts'
import type { AffiliationInput, ContactInput } from '../contacts/contacts.schema.ts'
import type { FailedImportRow } from '../db/schema.ts'
import { diff, inTransaction, type Actor, type Executor } from '../db/write.ts'
import type { OrganisationInput } from '../organisations/organisations.schema.ts'
import { derived, updateOrganisation } from '../organisations/organisations.service.ts'
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import type { Translate } from '../web/i18n.ts'
import { readCsv, type Delimiter } from './csv-read.ts'
import { planImport, type Decisions, type PlanRow } from './import-plan.ts'
import { findUpload, markImported, saveReport, type ReportCounts, type Upload } from './import.repo.ts'

const CHUNK = 500

/**
 * Many rows in one statement, passed as one JSON parameter (jsonb_populate_recordset): on the
 * embedded database a VALUES list with thousands of parameters costs a third more to parse.
 */
async function insertJson(tx: Executor, table: 'organisations' | 'contacts' | 'affiliations' | 'audit_log', rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const columns = sql.join(Object.keys(rows[0]!).map((k) => sql.id(k)))
  const result = await sql<Record<string, unknown>>`
    insert into ${sql.table(table)} (${columns})
    select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)
    returning *`.execute(tx)
  return result.rows
}

/**
 * New organisations in one statement, with the audit rows createRecord would write (the same
 * `diff(null, row)`) in a second: row by row through the service runs at a few hundred rows a
 * second on the embedded database, this at thousands. What the service checks besides the
 * schema — a unique organisation number or e-mail, organisations that exist — the plan did.
 */
async function createOrganisations(tx: Executor, inputs: OrganisationInput[], actor: Actor): Promise<void> {
  if (!inputs.length) return
  const rows = await insertJson(tx, 'organisations', inputs.map((input) => ({ id: randomUUID(), ...input, ...derived(input) })))
  await insertJson(tx, 'audit_log', rows.map((r) => ({ user_id: actor.userId, entity_type: 'organisation', entity_id: r.id, action: 'create', changes: diff(null, r) })))
}

/** New contacts the same way, with their affiliations and the audit rows createContact would write. */
async function createContacts(tx: Executor, inputs: ContactInput[], actor: Actor): Promise<void> {
  if (!inputs.length) return
  const lists = new Map<string, AffiliationInput[]>()
  const values = inputs.map(({ affiliations, ...fields }) => {
    const id = randomUUID()
    lists.set(id, withPrimary(affiliations))
    return { id, ...fields, ...contactDerived(fields) }
  })
  const rows = await insertJson(tx, 'contacts', values)
  const links = [...lists].flatMap(([contactId, list]) =>
    list.map((a) => ({ contact_id: contactId, organisation_id: a.organisation_id, role: a.role, start_date: a.start_date, end_date: a.end_date, is_primary: a.primary })))
  if (links.length) await insertJson(tx, 'affiliations', links)
  await insertJson(tx, 'audit_log', rows.map((r) => {
    const list = lists.get(String(r.id))!
    return { user_id: actor.userId, entity_type: 'contact', entity_id: r.id, action: 'create', changes: { ...diff(null, r), ...affiliationChange([], list.length ? list : undefined) } }
  }))
}

/** A rule only the database can check per row (a unique e-mail, a record changed meanwhile) fails that row, not the file. */
function rowError(err: unknown, t: Translate): string | null {
  if (err instanceof ValidationError) return Object.values(err.fields).join(' ')
  if (err instanceof ConflictError || err instanceof NotFoundError) return t('import.changed_meanwhile')
  return null
}

export type Progress = (done: number, total: number) => Promise<void> | void

/**
 * Runs the import in one transaction: every row is created, updated or left, or nothing is.
 * A failed row (invalid data) is reported, not fatal; a database error rolls the whole file back.
 * Returns the report's id; a second submit of the same upload gets the first one's report.
 */
export async function runImport(db: Executor, uploadId: string, decisions: Decisions, actor: Actor & { userId: string }, t: Translate, progress: Progress = () => {}): Promise<string> {
  return inTransaction(db, async (tx) => {
    const upload = await findUpload(tx, uploadId, actor.userId, { forUpdate: true })
    if (!upload) throw new NotFoundError()
    if (upload.report_id) return upload.report_id
    if (!upload.content || !upload.mapping) throw new NotFoundError()
    const table = readCsv(upload.content, upload.delimiter as Delimiter)
    await progress(0, table.rows.length)
    const plan = await planImport(tx, { entity: upload.entity, table, mapping: upload.mapping, decisions, t })
    const counts: ReportCounts = { total: plan.length, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 }
    const failed: FailedImportRow[] = []
    const cellsOf = new Map(table.rows.map((r) => [r.line, r.cells]))
    const fail = (row: PlanRow, error: string) => {
      counts.failed++
      failed.push({ line: row.line, cells: cellsOf.get(row.line) ?? [], error })
    }
    // The same record named by two rows: the second update goes on from the first one's version.
    const versions = new Map<string, number>()
    for (let start = 0; start < plan.length; start += CHUNK) {
      const chunk = plan.slice(start, start + CHUNK)
      await writeChunk(tx, upload, chunk, actor, t, counts, fail, versions)
      await progress(Math.min(start + CHUNK, plan.length), plan.length)
    }
    const reportId = await saveReport(tx, { user_id: actor.userId, entity: upload.entity, filename: upload.filename, headers: table.headers, failed_rows: failed, ...counts })
    await markImported(tx, upload.id, reportId)
    return reportId
  })
}

async function writeChunk(
  tx: Executor,
  upload: Upload,
  chunk: PlanRow[],
  actor: Actor,
  t: Translate,
  counts: ReportCounts,
  fail: (row: PlanRow, error: string) => void,
  versions: Map<string, number>,
): Promise<void> {
  const orgCreates: OrganisationInput[] = []
  const contactCreates: ContactInput[] = []
  for (const row of chunk) {
    try {
      switch (row.action) {
        case 'failed':
          fail(row, row.errors.join(' '))
          continue
        case 'skip':
          counts.skipped++
          continue
        case 'unchanged':
          counts.unchanged++
          continue
        case 'create':
          if (upload.entity === 'organisations') orgCreates.push(row.input as OrganisationInput)
          else contactCreates.push(row.input as ContactInput)
          counts.created++
          continue
        case 'update': {
          const version = versions.get(row.target.id) ?? row.version
          const after = upload.entity === 'organisations'
            ? await updateOrganisation(tx, row.target.id, version, row.patch, actor, t)
            : await updateContact(tx, row.target.id, version, row.patch, actor, t)
          versions.set(row.target.id, after.version)
          counts.updated++
          continue
        }
      }
    } catch (err) {
      const message = rowError(err, t)
      if (message === null) throw err
      fail(row, message)
    }
  }
  await createOrganisations(tx, orgCreates, actor)
  await createContacts(tx, contactCreates, actor)
}
