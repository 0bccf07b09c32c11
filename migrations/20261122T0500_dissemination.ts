import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Dissemination (issue 5): projects and their products, activities with participants and the
// influence record, dissemination plans with targets, and personal calendar feeds.

export async function up(db: Kysely<any>): Promise<void> {
  const uuidPk = (c: any) => c.primaryKey().defaultTo(sql`gen_random_uuid()`)
  const now = (c: any) => c.notNull().defaultTo(sql`now()`)
  const record = (t: any) =>
    t
      .addColumn('sort_name', sql`text collate "C"`, (c: any) => c.notNull())
      .addColumn('search_text', 'text', (c: any) => c.notNull().defaultTo(''))
      .addColumn('theme_ids', sql`uuid[]`, (c: any) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', now)
      .addColumn('updated_at', 'timestamptz', now)
      .addColumn('deleted_at', 'timestamptz')

  await record(
    db.schema
      .createTable('projects')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('programme', 'text', (c) => c.check(sql`programme in ('equal', 'erf', 'amif', 'esf', 'national', 'nordic', 'other')`))
      .addColumn('start_date', 'date')
      .addColumn('end_date', 'date')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('running').check(sql`status in ('planned', 'running', 'finished', 'cancelled')`))
      .addColumn('lead_organisation_id', 'uuid', (c) => c.references('organisations.id'))
      .addColumn('evaluation', 'text')
      .addColumn('notes', 'text')
      .addCheckConstraint('projects_period', sql`end_date is null or start_date is null or end_date >= start_date`),
  ).execute()
  // Part of the project record (its version covers them).
  await db.schema
    .createTable('project_partners')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text')
    .execute()
  await db.schema.createIndex('project_partners_project').on('project_partners').column('project_id').execute()
  await db.schema.createIndex('project_partners_organisation').on('project_partners').column('organisation_id').execute()

  await record(
    db.schema
      .createTable('products')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('report', 'manual', 'film', 'method', 'training', 'conference_format', 'website', 'other')`),
      )
      .addColumn('project_id', 'uuid', (c) => c.references('projects.id'))
      .addColumn('url', 'text')
      .addColumn('summary', 'text')
      .addColumn('good_practice_status', 'text', (c) => c.check(sql`good_practice_status in ('candidate', 'validated', 'rejected')`))
      .addColumn('public', 'boolean', (c) => c.notNull().defaultTo(false)),
  ).execute()
  await sql`create index products_public on products (sort_name, id) where deleted_at is null and public`.execute(db)

  await record(
    db.schema
      .createTable('activities')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) =>
        c.notNull().check(sql`type in ('conference', 'seminar', 'workshop', 'course', 'report', 'article', 'newsletter', 'website',
          'visibility_event', 'meeting', 'policy_input', 'study_visit', 'other')`),
      )
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned').check(sql`status in ('planned', 'done', 'cancelled')`))
      .addColumn('start_date', 'date')
      .addColumn('end_date', 'date')
      .addColumn('location', 'text')
      .addColumn('online', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('level', 'text', (c) => c.check(sql`level in ('horizontal', 'vertical')`))
      .addColumn('product_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('audience_size', 'integer', (c) => c.check(sql`audience_size >= 0`))
      .addColumn('outcome', 'text')
      // The influence record, for vertical work: who received the input, the ask, and the result.
      .addColumn('influence_organisation_id', 'uuid', (c) => c.references('organisations.id'))
      .addColumn('influence_body_id', 'uuid', (c) => c.references('bodies.id'))
      .addColumn('influence_request', 'text')
      .addColumn('influence_result', 'text', (c) => c.check(sql`influence_result in ('adopted', 'partly', 'not', 'unknown')`))
      .addColumn('influence_evidence', 'text')
      .addColumn('influence_result_date', 'date')
      .addCheckConstraint('activities_period', sql`end_date is null or start_date is null or end_date >= start_date`),
  ).execute()
  await sql`create index activities_start on activities (start_date, id) where deleted_at is null`.execute(db)
  await sql`create index activities_themes on activities using gin (theme_ids)`.execute(db)
  await sql`create index activities_products on activities using gin (product_ids)`.execute(db)
  await sql`create index activities_search on activities using gin (search_text gin_trgm_ops)`.execute(db)

  // Part of the activity record; many per activity (a conference has hundreds).
  await db.schema
    .createTable('activity_participants')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('activity_id', 'uuid', (c) => c.notNull().references('activities.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('participant').check(sql`role in ('organiser', 'speaker', 'participant', 'recipient')`))
    .addColumn('attendance', 'text', (c) =>
      c.notNull().defaultTo('invited').check(sql`attendance in ('invited', 'registered', 'attended', 'received', 'no_show')`),
    )
    .addCheckConstraint('activity_participants_who', sql`contact_id is not null or organisation_id is not null`)
    .execute()
  await db.schema.createIndex('activity_participants_activity').on('activity_participants').column('activity_id').execute()
  await db.schema.createIndex('activity_participants_contact').on('activity_participants').columns(['contact_id', 'attendance']).execute()
  await db.schema.createIndex('activity_participants_organisation').on('activity_participants').columns(['organisation_id', 'attendance']).execute()

  await record(
    db.schema
      .createTable('plans')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('goal', 'text')
      .addColumn('deadline', 'date')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'active', 'achieved', 'closed')`))
      // {"organisation_ids"?, "contact_ids"?, "filter"?: {"kinds"?, "categories"?, "counties"?, "theme_ids"?}}
      .addColumn('target', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('product_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('qualifying_attendance', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{attended,received}'`)),
  ).execute()

  // A personal, secret calendar address (calendar programs cannot log in); only a hash is kept.
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', now)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['calendar_feeds', 'plans', 'activity_participants', 'activities', 'products', 'project_partners', 'projects']) {
    await db.schema.dropTable(t).execute()
  }
}
