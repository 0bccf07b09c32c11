import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Strategic alliances (issue 4): members, commitments and the history of status changes.

export async function up(db: Kysely<any>): Promise<void> {
  const uuidPk = (c: any) => c.primaryKey().defaultTo(sql`gen_random_uuid()`)
  const now = (c: any) => c.notNull().defaultTo(sql`now()`)

  await db.schema
    .createTable('alliances')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('exploring').check(sql`status in ('exploring', 'proposed', 'active', 'dormant', 'ended')`),
    )
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('review_date', 'date')
    .addColumn('next_step', 'text')
    .addColumn('links', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('theme_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('notes', 'text')
    .addColumn('sort_name', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('alliances_period', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute()
  await sql`create index alliances_sort on alliances (sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index alliances_status on alliances (status, sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index alliances_review on alliances (review_date, sort_name, id) where deleted_at is null`.execute(db)
  await sql`create index alliances_search on alliances using gin (search_text gin_trgm_ops) with (gin_pending_list_limit = 256)`.execute(db)
  await sql`create index alliances_themes on alliances using gin (theme_ids)`.execute(db)

  // Part of the alliance record (its version covers them). A member's own dates, when set,
  // narrow the alliance's period for that member: the network graph reads them as edge validity.
  await db.schema
    .createTable('alliance_members')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('alliance_id', 'uuid', (c) => c.notNull().references('alliances.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'partner', 'supporter')`))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addCheckConstraint('alliance_members_period', sql`end_date is null or start_date is null or end_date >= start_date`)
    .addUniqueConstraint('alliance_members_one_per_organisation', ['alliance_id', 'organisation_id'])
    .execute()
  await db.schema.createIndex('alliance_members_organisation').on('alliance_members').column('organisation_id').execute()
  await db.schema.createIndex('alliance_members_contact').on('alliance_members').column('contact_id').execute()

  // Also part of the alliance record: what each member committed to.
  await db.schema
    .createTable('commitments')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('alliance_id', 'uuid', (c) => c.notNull().references('alliances.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('due_date', 'date')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done', 'dropped')`))
    .addColumn('done_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('commitments_alliance').on('commitments').column('alliance_id').execute()
  await db.schema.createIndex('commitments_organisation').on('commitments').column('organisation_id').execute()
  await sql`create index commitments_open_due on commitments (due_date) where status = 'open'`.execute(db)

  // Append-only history: from (null when the alliance was created), to, when, who, why.
  await db.schema
    .createTable('alliance_status_changes')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('alliance_id', 'uuid', (c) => c.notNull().references('alliances.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', now)
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('reason', 'text')
    .execute()
  await db.schema.createIndex('alliance_status_changes_alliance').on('alliance_status_changes').columns(['alliance_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['alliance_status_changes', 'commitments', 'alliance_members', 'alliances']) await db.schema.dropTable(t).execute()
}
