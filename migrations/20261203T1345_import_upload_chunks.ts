import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// An uploaded file in pieces of its own rows (issue 10): stored as one 12 MB value, a large
// upload held the embedded database — everyone's single connection — for seconds while it was
// written and each time it was read. `chunks` is how many pieces the upload has once every one
// is stored (null while storing, and once the file is emptied after its import): a file cut short
// by a crash is never read as if it were whole.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_upload_chunks')
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('import_uploads.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_upload_chunks_pkey', ['upload_id', 'seq'])
    .execute()
  await db.schema.alterTable('import_uploads').addColumn('chunks', 'integer').execute()
  await sql`insert into import_upload_chunks (upload_id, seq, content) select id, 0, content from import_uploads where content is not null`.execute(db)
  await sql`update import_uploads set chunks = 1 where content is not null`.execute(db)
  await db.schema.alterTable('import_uploads').dropColumn('content').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_uploads').addColumn('content', 'text').execute()
  await sql`update import_uploads u set content = (select string_agg(c.content, '' order by c.seq) from import_upload_chunks c where c.upload_id = u.id) where u.chunks is not null`.execute(db)
  await db.schema.alterTable('import_uploads').dropColumn('chunks').execute()
  await db.schema.dropTable('import_upload_chunks').execute()
}
