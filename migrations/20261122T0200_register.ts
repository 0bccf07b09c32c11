import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The stakeholder register: themes, organisations, contacts with affiliations, interactions.


export async function up(db: Kysely<any>): Promise<void> {
  const uuidPk = (c: any) => c.primaryKey().defaultTo(sql`gen_random_uuid()`)
  const now = (c: any) => c.notNull().defaultTo(sql`now()`)

  await db.schema
    .createTable('themes')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'uuid', (c) => c.references('themes.id'))
    .addColumn('description', 'text')
    .addColumn('sort_name', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create unique index themes_name_live on themes
    (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name)) where deleted_at is null`.execute(db)
  await sql`create index themes_search on themes using gin (search_text gin_trgm_ops)`.execute(db)

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('authority', 'ministry', 'county_board', 'municipality', 'region', 'ngo', 'research',
        'media', 'international', 'partnership', 'business', 'other')`),
    )
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('SE'))
    .addColumn('county', 'text')
    .addColumn('org_number', 'text')
    .addColumn('website', 'text')
    .addColumn('parent_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('influence', 'smallint', (c) => c.check(sql`influence between 1 and 5`))
    .addColumn('interest', 'smallint', (c) => c.check(sql`interest between 1 and 5`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('theme_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('notes', 'text')
    .addColumn('sort_name', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('search_vector', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('swedish', coalesce(name, '') || ' ' || coalesce(short_name, ''))`).stored(),
    )
    .addColumn('merged_into_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index organisations_sort on organisations (sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index organisations_search on organisations using gin (search_text gin_trgm_ops)`.execute(db)
  await sql`create index organisations_fts on organisations using gin (search_vector)`.execute(db)
  await sql`create index organisations_tags on organisations using gin (tags)`.execute(db)
  await sql`create index organisations_themes on organisations using gin (theme_ids)`.execute(db)
  await sql`create index organisations_kind on organisations (kind, sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index organisations_county on organisations (county, sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index organisations_parent on organisations (parent_id)`.execute(db)
  await sql`create unique index organisations_org_number_live on organisations (org_number)
    where deleted_at is null and org_number is not null`.execute(db)

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('title', 'text')
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('influence', 'smallint', (c) => c.check(sql`influence between 1 and 5`))
    .addColumn('interest', 'smallint', (c) => c.check(sql`interest between 1 and 5`))
    .addColumn('county', 'text')
    .addColumn('language', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('theme_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('notes', 'text')
    .addColumn('sort_name', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('search_vector', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('swedish', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(title, ''))`).stored(),
    )
    .addColumn('merged_into_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('erased_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('contacts_named', sql`first_name is not null or last_name is not null or erased_at is not null`)
    .execute()
  await sql`create unique index contacts_email_live on contacts (lower(email)) where deleted_at is null and email is not null`.execute(db)
  await sql`create index contacts_sort on contacts (sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index contacts_search on contacts using gin (search_text gin_trgm_ops)`.execute(db)
  await sql`create index contacts_fts on contacts using gin (search_vector)`.execute(db)
  await sql`create index contacts_tags on contacts using gin (tags)`.execute(db)
  await sql`create index contacts_themes on contacts using gin (theme_ids)`.execute(db)
  await sql`create index contacts_categories on contacts using gin (categories)`.execute(db)
  await sql`create index contacts_county on contacts (county, sort_name, id) where deleted_at is null`.execute(db)

  // Part of the contact record (its version covers them); dated so the network can be drawn as of any day.
  await db.schema
    .createTable('affiliations')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text')
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addCheckConstraint('affiliations_period', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute()
  await db.schema.createIndex('affiliations_contact').on('affiliations').column('contact_id').execute()
  await db.schema.createIndex('affiliations_organisation').on('affiliations').column('organisation_id').execute()

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('meeting', 'call', 'email', 'note')`))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('follow_up_on', 'date')
    .addColumn('follow_up_assignee_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('follow_up_done_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index interactions_follow_up on interactions (follow_up_assignee_id, follow_up_on)
    where deleted_at is null and follow_up_on is not null and follow_up_done_at is null`.execute(db)
  await db.schema
    .createTable('interaction_links')
    .addColumn('interaction_id', 'uuid', (c) => c.notNull().references('interactions.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addCheckConstraint('interaction_links_one', sql`(contact_id is null) <> (organisation_id is null)`)
    .execute()
  await db.schema.createIndex('interaction_links_interaction').on('interaction_links').column('interaction_id').execute()
  await db.schema.createIndex('interaction_links_contact').on('interaction_links').column('contact_id').execute()
  await db.schema.createIndex('interaction_links_organisation').on('interaction_links').column('organisation_id').execute()

  // CSV column mappings, remembered per set of headers.
  await db.schema
    .createTable('import_mappings')
    .addColumn('header_key', 'text', (c) => c.primaryKey())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', now)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['import_mappings', 'interaction_links', 'interactions', 'affiliations', 'contacts', 'organisations', 'themes']) {
    await db.schema.dropTable(t).execute()
  }
}
