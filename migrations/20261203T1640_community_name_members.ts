import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A community's given name is kept by who is in it, not by its most central member alone (issue
// 14): that member changed as the network grew and the name was lost. `members` holds the group's
// node ids when it was named (null for names given before: they fall back to the anchor, now
// wherever it is), and the anchor is no longer a key, so two names may have the same one.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table community_names add column members jsonb`.execute(db)
  await sql`drop index community_names_anchor`.execute(db)
  await sql`create index community_names_anchor on community_names (anchor_id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index community_names_anchor`.execute(db)
  await sql`create unique index community_names_anchor on community_names (anchor_id) where deleted_at is null`.execute(db)
  await sql`alter table community_names drop column members`.execute(db)
}
