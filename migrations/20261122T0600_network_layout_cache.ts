import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Network graph (issue 6): server-side layout positions of large views, computed once per view
// and data version (src/network/layout.ts) and replaced when the register changes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('network_layout_cache')
    .addColumn('view_key', 'text', (c) => c.primaryKey())
    .addColumn('data_version', 'text', (c) => c.notNull())
    // {"<node id>": [x, y], …}
    .addColumn('positions', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('network_layout_cache').execute()
}
