import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The size of each plan's target group when it was last computed (issue 14): when an import adds
// six people to the group, the plan page says so. Derived data, rewritten as it changes: no
// version, no audit, no personal data (counts only).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_target_sizes')
    .addColumn('plan_id', 'uuid', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
    .addColumn('contacts', 'integer', (c) => c.notNull())
    .addColumn('organisations', 'integer', (c) => c.notNull())
    .addColumn('previous_contacts', 'integer')
    .addColumn('previous_organisations', 'integer')
    .addColumn('changed_at', 'timestamptz')
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_target_sizes').execute()
}
