import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { affiliationChange, derived as contactDerived, updateContact, withPrimary } from '../contacts/contacts.service.ts'
import type { AffiliationInput, ContactInput } from '../contacts/contacts.schema.ts'
import type { FailedImportRow, ImportEntity } from '../db/schema.ts'
import { diff, type Actor, type Executor } from '../db/write.ts'
import type { OrganisationInput } from '../organisations/organisations.schema.ts'
import { derived, updateOrganisation } from '../organisations/organisations.service.ts'
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import { translateFields, type Translate } from '../web/i18n.ts'
import type { PlanRow } from './import-plan.ts'
import type { ReportCounts } from './import.repo.ts'

type JsonTable = 'organisations' | 'contacts' | 'affiliations' | 'audit_log' | 'import_changes'

/**
 * Many rows in one statement, passed as one JSON parameter (jsonb_populate_recordset): on the
 * embedded database a VALUES list with thousands of parameters costs a third more to parse.
 */
async function insertJson(tx: Executor, table: JsonTable, rows: Record<string, unknown>[], returning = sql`*`): Promise<Record<string, unknown>[]> {
  if (!rows.length) return []
  const columns = sql.join(Object.keys(rows[0]!).map((k) => sql.id(k)))
  const result = await sql<Record<string, unknown>>`
    insert into ${sql.table(table)} (${columns})
    select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)
    returning ${returning}`.execute(tx)
  return result.rows
}

/** What one batch did, for the undo: the record, the version it left, the audit row with the change. */
export interface Change {
  entity_id: string
  action: 'create' | 'update'
  audit_id: string
  version: number
}

async function auditCreates(tx: Executor, entityType: string, actor: Actor, rows: Record<string, unknown>[], extra: (r: Record<string, unknown>) => object = () => ({})): Promise<Change[]> {
  const audits = await insertJson(tx, 'audit_log', rows.map((r) => ({ user_id: actor.userId, entity_type: entityType, entity_id: r.id, action: 'create', changes: { ...diff(null, r), ...extra(r) } })), sql`id, entity_id`)
  return audits.map((a) => ({ entity_id: String(a.entity_id), action: 'create', audit_id: String(a.id), version: 1 }))
}

/**
 * New organisations in one statement, with the audit rows createRecord would write (the same
 * `diff(null, row)`) in a second: row by row through the service runs at a few hundred rows a
 * second on the embedded database, this at thousands. What the service checks besides the
 * schema — a unique organisation number or e-mail, organisations that exist — the plan did.
 */
async function createOrganisations(tx: Executor, inputs: OrganisationInput[], actor: Actor): Promise<Change[]> {
  const rows = await insertJson(tx, 'organisations', inputs.map((input) => ({ id: randomUUID(), ...input, ...derived(input) })))
  return auditCreates(tx, 'organisation', actor, rows)
}

/** New contacts the same way, with their affiliations and the audit rows createContact would write. */
async function createContacts(tx: Executor, inputs: ContactInput[], actor: Actor): Promise<Change[]> {
  const lists = new Map<string, AffiliationInput[]>()
  const values = inputs.map(({ affiliations, ...fields }) => {
    const id = randomUUID()
    lists.set(id, withPrimary(affiliations))
    return { id, ...fields, ...contactDerived(fields) }
  })
  const rows = await insertJson(tx, 'contacts', values)
  const links = [...lists].flatMap(([contactId, list]) =>
    list.map((a) => ({ contact_id: contactId, organisation_id: a.organisation_id, role: a.role, start_date: a.start_date, end_date: a.end_date, is_primary: a.primary })))
  await insertJson(tx, 'affiliations', links, sql`id`)
  return auditCreates(tx, 'contact', actor, rows, (r) => {
    const list = lists.get(String(r.id))!
    return affiliationChange([], list.length ? list : undefined)
  })
}

/** The audit row an update just wrote (the record is locked by the update until commit). */
async function lastAuditId(tx: Executor, entityId: string): Promise<string | undefined> {
  const row = await tx.selectFrom('audit_log').select('id').where('entity_id', '=', entityId).orderBy('at', 'desc').limit(1).executeTakeFirst()
  return row?.id
}

/** A rule only the database can check per row (a unique e-mail, a record changed meanwhile) fails that row, not the file; the service names it by message key. */
function rowError(err: unknown, t: Translate): string | null {
  if (err instanceof ValidationError) return Object.values(translateFields(err.fields, t)).join(' ')
  if (err instanceof ConflictError || err instanceof NotFoundError) return t('import.changed_meanwhile')
  return null
}

export interface BatchState {
  counts: ReportCounts
  failed: FailedImportRow[]
  cellsOf: Map<number, string[]>
  /** The same record named by two rows: the second update goes on from the first one's version. */
  versions: Map<string, number>
}

/** Writes one batch of planned rows in `tx` and lists what it changed under the report. */
export async function writeBatch(tx: Executor, reportId: string, entity: ImportEntity, chunk: PlanRow[], actor: Actor, t: Translate, state: BatchState): Promise<void> {
  const { counts, versions } = state
  const fail = (row: PlanRow, error: string) => {
    counts.failed++
    state.failed.push({ line: row.line, cells: state.cellsOf.get(row.line) ?? [], error })
  }
  const orgCreates: OrganisationInput[] = []
  const contactCreates: ContactInput[] = []
  const changes: Change[] = []
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
          if (entity === 'organisations') orgCreates.push(row.input as OrganisationInput)
          else contactCreates.push(row.input as ContactInput)
          counts.created++
          continue
        case 'update': {
          const version = versions.get(row.target.id) ?? row.version
          const after = entity === 'organisations'
            ? await updateOrganisation(tx, row.target.id, version, row.patch, actor)
            : await updateContact(tx, row.target.id, version, row.patch, actor)
          versions.set(row.target.id, after.version)
          const auditId = await lastAuditId(tx, row.target.id)
          if (auditId) changes.push({ entity_id: row.target.id, action: 'update', audit_id: auditId, version: after.version })
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
  if (orgCreates.length) changes.push(...(await createOrganisations(tx, orgCreates, actor)))
  if (contactCreates.length) changes.push(...(await createContacts(tx, contactCreates, actor)))
  const entityType = entity === 'organisations' ? 'organisation' : 'contact'
  await insertJson(tx, 'import_changes', changes.map((c) => ({ report_id: reportId, entity_type: entityType, ...c })), sql`id`)
}
