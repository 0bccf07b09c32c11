import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely'
import type { AuditAction, Database, VersionedTable } from './schema.ts'
import { StaleVersionError, NotFoundError } from '../web/errors.ts'

export type Executor = Kysely<Database> | Transaction<Database>

export interface Actor {
  userId: string | null
}

type Row = Record<string, unknown>

/** A stored row of `T`, as read back. */
export type RowOf<T extends VersionedTable> = Selectable<Database[T]>
/** What creating a row of `T` takes: a misspelt or unknown column does not compile. */
export type NewRowOf<T extends VersionedTable> = Insertable<Database[T]>
/** A patch to a row of `T`: only its columns, with their types. */
export type PatchOf<T extends VersionedTable> = Updateable<Database[T]>

/**
 * The one untyped spot. The write path below (and the merge and search code, which also work on
 * "either of these tables") takes a table by name, and Kysely's builders cannot check a query
 * against a table that is a union of names (`VersionedTable`), so those queries run untyped.
 * Every value reaching the write path is typed per table by its signatures (NewRowOf, PatchOf,
 * RowOf): that is where a misspelt column fails `tsc` (tests/db/write-types.test.ts shows it).
 * Use it only where the table is such a union; a query on one named table stays typed.
 */
export function untyped(db: Executor): Kysely<any> {
  return db as unknown as Kysely<any>
}

/** Fields never copied into the audit log: only the fact that they changed. */
const REDACTED = new Set(['password_hash', 'secret_hash', 'totp_key', 'totp_pending_key'])
/** Bookkeeping and values derived from other fields: their changes say nothing new. */
const OMITTED = new Set(['version', 'updated_at', 'created_at', 'sort_name', 'search_text', 'search_vector'])

/** The single write path: every create, update, delete and restore comes through here. */
export async function inTransaction<T>(db: Executor, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>)
  return db.transaction().execute(fn)
}

function comparable(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString()
  if (v instanceof Uint8Array) return '[binary]'
  return v ?? null
}

export function diff(before: Row | null, after: Row | null): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {}
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const key of keys) {
    if (OMITTED.has(key)) continue
    const a = comparable(before?.[key])
    const b = comparable(after?.[key])
    if (JSON.stringify(a) === JSON.stringify(b)) continue
    changes[key] = REDACTED.has(key) ? ['[redacted]', '[redacted]'] : [a, b]
  }
  return changes
}

export async function audit(
  tx: Executor,
  actor: Actor,
  entityType: string,
  entityId: string,
  action: AuditAction,
  changes: Record<string, [unknown, unknown]>,
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({ user_id: actor.userId, entity_type: entityType, entity_id: entityId, action, changes: JSON.stringify(changes) })
    .execute()
}

async function lockRow(tx: Executor, table: VersionedTable, id: string): Promise<Row | undefined> {
  return untyped(tx).selectFrom(table as string).selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Changes to parts of a record kept in other tables (a contact's affiliations), for the same audit row. */
export type ExtraChanges = Record<string, [unknown, unknown]>

export async function createRecord<T extends VersionedTable>(
  db: Executor,
  table: T,
  values: NewRowOf<T>,
  actor: Actor,
  extra: ExtraChanges = {},
): Promise<RowOf<T>> {
  return inTransaction(db, async (tx) => {
    const row = (await untyped(tx).insertInto(table as string).values(values).returningAll().executeTakeFirstOrThrow()) as RowOf<T> & Row
    await audit(tx, actor, entityType(table), String(row.id), 'create', { ...diff(null, row), ...extra })
    return row
  })
}

/**
 * Applies `patch` if the stored version is still `expectedVersion`; otherwise nothing changes
 * and StaleVersionError carries the stored record so the caller can show both.
 */
export async function updateRecord<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: string,
  expectedVersion: number,
  patch: PatchOf<T>,
  actor: Actor,
  extra: ExtraChanges = {},
): Promise<RowOf<T>> {
  return inTransaction(db, async (tx) => {
    const before = await lockRow(tx, table, id)
    if (!before || before.deleted_at) throw new NotFoundError()
    if (before.version !== expectedVersion) throw new StaleVersionError(before)
    const after = (await untyped(tx)
      .updateTable(table as string)
      .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as RowOf<T> & Row
    const changes = { ...diff(before, after), ...extra }
    if (Object.keys(changes).length > 0) await audit(tx, actor, entityType(table), id, 'update', changes)
    return after
  })
}

export async function softDeleteRecord(
  db: Executor,
  table: VersionedTable,
  id: string,
  actor: Actor,
  expectedVersion?: number,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const before = await lockRow(tx, table, id)
    if (!before || before.deleted_at) throw new NotFoundError()
    if (expectedVersion !== undefined && before.version !== expectedVersion) throw new StaleVersionError(before)
    const after = await untyped(tx)
      .updateTable(table as string)
      .set({ deleted_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(tx, actor, entityType(table), id, 'delete', diff(before, after))
  })
}

export async function restoreRecord<T extends VersionedTable>(db: Executor, table: T, id: string, actor: Actor): Promise<RowOf<T>> {
  return inTransaction(db, async (tx) => {
    const before = await lockRow(tx, table, id)
    // A record merged into another is no deleted record to bring back: its links went to the
    // survivor, and live again it would be a duplicate that search leaves out and lists show. The
    // deleted view does not list it either.
    if (!before || !before.deleted_at || (before as Row).merged_into_id) throw new NotFoundError()
    const after = (await untyped(tx)
      .updateTable(table as string)
      .set({ deleted_at: null, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as RowOf<T> & Row
    await audit(tx, actor, entityType(table), id, 'restore', diff(before, after))
    return after
  })
}

function entityType(table: VersionedTable): string {
  // Table names are plural; audit entity types are the singular the API speaks of (bodies → body).
  return table.replace(/ies$/, 'y').replace(/s$/, '')
}
