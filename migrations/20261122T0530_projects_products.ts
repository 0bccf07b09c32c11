import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Projects and products (issue 5): the lookups their pages, the idea bank and merges make.

export async function up(db: Kysely<any>): Promise<void> {
  // An organisation is a project's partner once; a merge drops a duplicate row before moving it.
  await sql`create unique index project_partners_once on project_partners (project_id, organisation_id)`.execute(db)
  await sql`create index projects_lead on projects (lead_organisation_id) where lead_organisation_id is not null`.execute(db)
  await sql`create index projects_search on projects using gin (search_text gin_trgm_ops)`.execute(db)
  await sql`create index projects_themes on projects using gin (theme_ids)`.execute(db)
  await sql`create index products_project on products (project_id) where project_id is not null`.execute(db)
  await sql`create index products_search on products using gin (search_text gin_trgm_ops)`.execute(db)
  await sql`create index products_themes on products using gin (theme_ids)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['products_themes', 'products_search', 'products_project', 'projects_themes', 'projects_search', 'projects_lead', 'project_partners_once']) {
    await sql`drop index ${sql.id(name)}`.execute(db)
  }
}
