import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A follow-up's own short text (issue 14): what to do, shown on the dashboard instead of the
// whole interaction's summary.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('interactions')
    .addColumn('follow_up_note', 'text', (c) => c.check(sql`char_length(follow_up_note) <= 200`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('interactions').dropColumn('follow_up_note').execute()
}
