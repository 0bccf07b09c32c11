import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Saved segments (issue 12): a named filter over contacts plus explicit additions and exclusions,
// resolved to members in SQL whenever it is used (src/segments/segment-members.ts). A newsletter
// list or a one-off issue may take its recipients from a segment instead of its subscribers.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table segments (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text,
    filter jsonb not null default '{}'::jsonb,
    include_ids uuid[] not null default '{}',
    exclude_ids uuid[] not null default '{}',
    sort_name text not null default '',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)
  await sql`create index segments_live_name on segments (sort_name, id) where deleted_at is null`.execute(db)
  await sql`alter table newsletter_lists add column segment_id uuid references segments (id)`.execute(db)
  await sql`alter table newsletter_issues add column segment_id uuid references segments (id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table newsletter_issues drop column segment_id`.execute(db)
  await sql`alter table newsletter_lists drop column segment_id`.execute(db)
  await sql`drop table segments`.execute(db)
}
