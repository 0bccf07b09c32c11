import { sql } from 'kysely'
import type { Logger } from 'pino'
import { findContact } from '../contacts/contacts.repo.ts'
import type { AffiliationInput } from '../contacts/contacts.schema.ts'
import { updateContact } from '../contacts/contacts.service.ts'
import type { ImportChangesTable, KeptRecord } from '../db/schema.ts'
import type { Db } from '../db/connect.ts'
import { inTransaction, softDeleteRecord, type Actor, type Executor } from '../db/write.ts'
import { holdJobLock, ifOrphaned, type Engine } from './import-liveness.ts'
import { updateOrganisation } from '../organisations/organisations.service.ts'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import type { Selectable } from 'kysely'
import { letOthersIn } from './import-batches.ts'

const UNDO_BATCH = 200
type Change = Selectable<ImportChangesTable>
type Affiliation = { organisation_id: string; role: string | null; start_date: string | null; end_date: string | null; primary: boolean }

/** The affiliations as they were, keeping the ids of those still there. */
async function affiliationsBefore(tx: Executor, contactId: string, before: Affiliation[] | null): Promise<AffiliationInput[]> {
  const current = (await findContact(tx, contactId))?.affiliations ?? []
  const unclaimed = [...current]
  return (before ?? []).map((a) => {
    const i = unclaimed.findIndex((c) => c.organisation_id === a.organisation_id && c.role === a.role && c.start_date === a.start_date && c.end_date === a.end_date)
    const id = i >= 0 ? unclaimed.splice(i, 1)[0]!.id : undefined
    return { ...(id ? { id } : {}), ...a }
  })
}

/**
 * Takes back one change if the record is still as the import left it (its version); returns
 * false when it is not — edited, merged or deleted since — and the record is left alone.
 */
async function undoOne(tx: Executor, ch: Change, actor: Actor): Promise<boolean> {
  const table = ch.entity_type === 'organisation' ? 'organisations' : 'contacts'
  try {
    if (ch.action === 'create') {
      await softDeleteRecord(tx, table, ch.entity_id, actor, ch.version)
      return true
    }
    const audit = await tx.selectFrom('audit_log').select('changes').where('id', '=', ch.audit_id).executeTakeFirst()
    if (!audit) return false
    const patch: Record<string, unknown> = {}
    for (const [field, [before]] of Object.entries(audit.changes)) if (field !== 'affiliations') patch[field] = before
    if (ch.entity_type === 'organisation') await updateOrganisation(tx, ch.entity_id, ch.version, patch, actor)
    else {
      if (audit.changes.affiliations) patch.affiliations = await affiliationsBefore(tx, ch.entity_id, audit.changes.affiliations[0] as Affiliation[] | null)
      await updateContact(tx, ch.entity_id, ch.version, patch, actor)
    }
    return true
  } catch (err) {
    if (err instanceof ConflictError || err instanceof NotFoundError || err instanceof ValidationError) return false
    throw err
  }
}

/**
 * Undoes what an import changed, newest first, in batches that leave the app responsive:
 * records it created are soft-deleted, fields it changed set back to what the audit says they
 * were — all through the audited write path, each only if the record is still at the version
 * the import left. Records changed since are kept and listed on the report. Resumable: what is
 * done is marked per change in the same transaction. Ends the report in status `final`.
 */
export async function undoChanges(db: Executor, reportId: string, actor: Actor, final: 'undone' | 'failed'): Promise<void> {
  for (let more = true; more; ) {
    await letOthersIn()
    more = await inTransaction(db, async (tx) => {
      const changes = await tx.selectFrom('import_changes').selectAll().where('report_id', '=', reportId).where('state', '=', 'applied').orderBy('id', 'desc').limit(UNDO_BATCH).execute()
      const kept: KeptRecord[] = []
      for (const ch of changes) {
        const undone = await undoOne(tx, ch, actor)
        if (!undone) kept.push({ type: ch.entity_type, id: ch.entity_id })
        await tx.updateTable('import_changes').set({ state: undone ? 'undone' : 'kept' }).where('id', '=', ch.id).execute()
      }
      await tx.updateTable('import_reports').set({ heartbeat_at: sql`now()`, kept: sql`kept || ${JSON.stringify(kept)}::jsonb` }).where('id', '=', reportId).execute()
      return changes.length === UNDO_BATCH
    })
  }
  await db.updateTable('import_reports')
    .set({ status: final, heartbeat_at: null, ...(final === 'undone' ? { undone_at: sql`now()` } : {}) })
    .where('id', '=', reportId).execute()
}

export class NotUndoableError extends AppError {
  constructor() {
    super(409, 'conflict', 'import.not_undoable')
  }
}

/** An editor's undo of their own finished import: marked at once, done in the background. */
export async function undoImport(db: Db, reportId: string, actor: Actor & { userId: string }, log?: Logger, engine: Engine = 'pglite'): Promise<Promise<void>> {
  const lock = await holdJobLock(db, engine, reportId)
  await inTransaction(db, async (tx) => {
    const report = await tx.selectFrom('import_reports').select(['status']).where('id', '=', reportId).where('user_id', '=', actor.userId).forUpdate().executeTakeFirst()
    if (!report) throw new NotFoundError()
    if (report.status !== 'done') throw new NotUndoableError()
    await tx.updateTable('import_reports').set({ status: 'undoing', undone_by: actor.userId, heartbeat_at: sql`now()` }).where('id', '=', reportId).execute()
  }).catch(async (err: unknown) => {
    await lock.release()
    throw err
  })
  return undoChanges(db, reportId, actor, 'undone').catch((err: unknown) => {
    // Left `undoing`: taken up again at the next start (or by another instance's housekeeping).
    log?.error({ report: reportId, err: { name: (err as Error)?.name, code: (err as { code?: string })?.code } }, 'import undo interrupted')
  }).finally(() => lock.release())
}

/**
 * Imports and undos cut short (a crash, kill -9, the database gone): a `running` import is
 * undone and marked failed, an `undoing` one finished. On the embedded database this runs at
 * start, when no job can be running; on PostgreSQL also every hour, and a job counts as dead
 * only when nobody holds its lock (import-liveness.ts) — another instance may be running it.
 */
export async function recoverInterruptedImports(db: Db, engine: Engine, log?: Logger): Promise<number> {
  const cut = await db.selectFrom('import_reports').select(['id', 'status']).where('status', 'in', ['running', 'undoing']).execute()
  let recovered = 0
  for (const r of cut) {
    const orphaned = await ifOrphaned(db, engine, r.id, async () => {
      // Looked at again under the lock: the job may have finished meanwhile.
      const now = await db.selectFrom('import_reports').select('status').where('id', '=', r.id).executeTakeFirst()
      if (now?.status !== r.status) return
      log?.warn({ report: r.id, status: r.status }, 'undoing an import that was cut short')
      await undoChanges(db, r.id, { userId: null }, r.status === 'running' ? 'failed' : 'undone')
      recovered++
    })
    if (!orphaned) continue
  }
  return recovered
}
