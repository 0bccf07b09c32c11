import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// CSV import: the uploaded file between the steps (kept in the database, so any app instance
// can serve the next step), and the report of a finished import with its failed rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('organisations', 'contacts')`))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    // [{line, cells, error}] — the rows as they were in the file, to fix and import again.
    .addColumn('failed_rows', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('import_reports_user').on('import_reports').columns(['user_id', 'created_at']).execute()

  await db.schema
    .createTable('import_uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('organisations', 'contacts')`))
    .addColumn('filename', 'text', (c) => c.notNull())
    // Decoded to text on upload (UTF-8 or Windows-1252); emptied once imported.
    .addColumn('content', 'text')
    .addColumn('delimiter', 'text', (c) => c.notNull())
    .addColumn('mapping', 'jsonb')
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report_id', 'uuid', (c) => c.references('import_reports.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('import_uploads_created').on('import_uploads').column('created_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_uploads').execute()
  await db.schema.dropTable('import_reports').execute()
}
