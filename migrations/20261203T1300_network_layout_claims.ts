import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Issue 15: the layout of a large network view is computed once, not once per app instance on one
// PostgreSQL. The instance that inserts the claim of a view key and data version computes it; the
// others wait for its row in network_layout_cache (src/network/layout.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('network_layout_claims')
    .addColumn('view_key', 'text', (c) => c.notNull())
    .addColumn('data_version', 'text', (c) => c.notNull())
    // A claim older than the longest layout is taken over (its instance stopped half-way).
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('network_layout_claims_pkey', ['view_key', 'data_version'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('network_layout_claims').execute()
}
