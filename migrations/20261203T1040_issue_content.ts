import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Composed newsletter issues (issue 12): the structured content (intro, sections with links to
// products, activities and idea-bank ideas) and its HTML rendering, frozen when composed so the
// preview, every copy and the archive show the same document. `body` holds the text rendering.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table newsletter_issues add column content jsonb`.execute(db)
  await sql`alter table newsletter_issues add column body_html text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table newsletter_issues drop column body_html`.execute(db)
  await sql`alter table newsletter_issues drop column content`.execute(db)
}
