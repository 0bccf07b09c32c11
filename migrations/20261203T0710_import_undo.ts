import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Import in batches, with undo (issue 10): a report exists from the start of its import and
// says how far it got (status, done, heartbeat, so an import cut short by a crash is found and
// undone); every record an import created or updated is listed with the version it left and
// the audit row that holds what it changed, so the import can be undone as a whole.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('import_reports')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('done').check(sql`status in ('running', 'done', 'failed', 'undoing', 'undone')`))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .addColumn('undone_by', 'uuid', (c) => c.references('users.id'))
    // [{type, id, label}]: records the undo left alone because they changed after the import.
    .addColumn('kept', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
  await db.schema.createIndex('import_reports_status').on('import_reports').columns(['status', 'heartbeat_at']).execute()

  await db.schema
    .createTable('import_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('import_reports.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (c) => c.notNull().check(sql`entity_type in ('organisation', 'contact')`))
    .addColumn('entity_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create', 'update')`))
    .addColumn('audit_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('applied').check(sql`state in ('applied', 'undone', 'kept')`))
    .execute()
  await db.schema.createIndex('import_changes_report').on('import_changes').columns(['report_id', 'state', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_changes').execute()
  await db.schema.dropIndex('import_reports_status').execute()
  for (const c of ['status', 'done', 'heartbeat_at', 'undone_at', 'undone_by', 'kept']) await db.schema.alterTable('import_reports').dropColumn(c).execute()
}
