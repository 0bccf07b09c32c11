import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The network's bodies (steering group, reference groups …) with their dated seats, and typed,
// dated relationships between organisations. Every link carries its validity period so that the
// network can be drawn as it stood on any day.

export async function up(db: Kysely<any>): Promise<void> {
  const uuidPk = (c: any) => c.primaryKey().defaultTo(sql`gen_random_uuid()`)
  const now = (c: any) => c.notNull().defaultTo(sql`now()`)

  await db.schema
    .createTable('bodies')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('steering_group', 'reference_group', 'network', 'working_group', 'thematic_group',
        'contact_points', 'other')`),
    )
    .addColumn('description', 'text')
    .addColumn('sort_name', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index bodies_sort on bodies (sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index bodies_search on bodies using gin (search_text gin_trgm_ops)`.execute(db)

  // Part of the body record (its version and audit row cover them), like a contact's affiliations.
  await db.schema
    .createTable('body_seats')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('body_id', 'uuid', (c) => c.notNull().references('bodies.id'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('chair', 'vice_chair', 'member', 'deputy', 'secretary', 'observer')`),
    )
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addCheckConstraint('body_seats_period', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute()
  await db.schema.createIndex('body_seats_body').on('body_seats').column('body_id').execute()
  await db.schema.createIndex('body_seats_contact').on('body_seats').column('contact_id').execute()
  await db.schema.createIndex('body_seats_organisation').on('body_seats').column('organisation_id').execute()

  // No check that the two sides differ: the service refuses a self-relationship, and a merge of
  // two related organisations must not fail on the row it turns into one.
  await db.schema
    .createTable('organisation_relationships')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('from_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('to_organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('funds', 'reports_to', 'partner_of', 'member_of', 'advises')`))
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('organisation_relationships_period', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute()
  await sql`create index organisation_relationships_from on organisation_relationships (from_organisation_id) where deleted_at is null`.execute(db)
  await sql`create index organisation_relationships_to on organisation_relationships (to_organisation_id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['organisation_relationships', 'body_seats', 'bodies']) await db.schema.dropTable(t).execute()
}
