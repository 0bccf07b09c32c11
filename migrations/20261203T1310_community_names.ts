import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Names users gave the network's communities (issue 14). A community is recognised by its most
// central member (the anchor): while that node is the most central of its group, the group keeps
// the name, across reloads and recomputes.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table community_names (
    id uuid primary key default gen_random_uuid(),
    anchor_id text not null,
    name text not null,
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)
  await sql`create unique index community_names_anchor on community_names (anchor_id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table community_names`.execute(db)
}
