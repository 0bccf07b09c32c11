import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Saved views of the network page (issue 14): a name, the page's query (filters, focus, day,
// drawing) and the node positions of its layout, shared with every colleague who may see the page.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table network_views (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    query text not null default '',
    positions jsonb not null default '{}'::jsonb,
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)
  await sql`create index network_views_live on network_views (created_at desc) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table network_views`.execute(db)
}
