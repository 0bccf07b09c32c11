import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Personal data (issue 11): lawful basis, protected identity and restriction on contacts;
// consent records with their texts stored once; the register's settings for the privacy
// notice; culling decisions (gallringsbeslut), retention rules, reviews and the culling log;
// audit actions for restriction, extracts and exports; and the audit log made append-only.

export async function up(db: Kysely<any>): Promise<void> {
  const uuidPk = (c: any) => c.primaryKey().defaultTo(sql`gen_random_uuid()`)
  const now = (c: any) => c.notNull().defaultTo(sql`now()`)
  const record = (t: any) =>
    t.addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', now)
      .addColumn('updated_at', 'timestamptz', now)
      .addColumn('deleted_at', 'timestamptz')

  await db.schema
    .alterTable('contacts')
    .addColumn('lawful_basis', 'text', (c) =>
      c.notNull().defaultTo('public_task').check(sql`lawful_basis in ('public_task', 'consent', 'legitimate_interest', 'contract', 'legal_obligation')`),
    )
    .addColumn('lawful_basis_note', 'text')
    .addColumn('protected_identity', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('restricted', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  // The exact wording a person agreed to, once per distinct text; consents point at it.
  await db.schema
    .createTable('consent_texts')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', now)
    .addUniqueConstraint('consent_texts_purpose_version', ['purpose', 'version'])
    .execute()
  await db.schema
    .createTable('consents')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('given_at', 'timestamptz', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('form', 'email', 'in_person', 'phone', 'other')`))
    .addColumn('text_id', 'uuid', (c) => c.notNull().references('consent_texts.id'))
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_method', 'text', (c) => c.check(sql`withdrawn_method in ('form', 'email', 'in_person', 'phone', 'link', 'other')`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', now)
    .execute()
  await db.schema.createIndex('consents_contact').on('consents').columns(['contact_id', 'given_at']).execute()

  // One row: what the privacy notice and the register extract say about the processing.
  await db.schema
    .createTable('register_settings')
    .addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('purpose', 'text')
    .addColumn('controller', 'text')
    .addColumn('dpo_contact', 'text')
    .addColumn('recipients', 'text')
    .addColumn('source', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', now)
    .execute()

  await record(
    db.schema
      .createTable('retention_decisions')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('decided_on', 'date', (c) => c.notNull())
      .addColumn('covers', 'text')
      .addColumn('retention_period', 'text'),
  ).execute()

  await record(
    db.schema
      .createTable('retention_rules')
      .addColumn('id', 'uuid', uuidPk)
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('contacts_not_engaged', 'interaction_notes', 'unconfirmed_subscriptions', 'import_uploads')`),
      )
      .addColumn('months', 'integer', (c) => c.notNull().check(sql`months >= 0`))
      .addColumn('action', 'text', (c) => c.notNull().defaultTo('review').check(sql`action in ('review', 'restrict', 'anonymise', 'delete')`))
      .addColumn('automatic', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('decision_id', 'uuid', (c) => c.notNull().references('retention_decisions.id')),
  ).execute()

  // "Keep" decisions from the review page: not due again before review_on.
  await db.schema
    .createTable('retention_reviews')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_on', 'date', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('at', 'timestamptz', now)
    .execute()
  await db.schema.createIndex('retention_reviews_entity').on('retention_reviews').columns(['entity_type', 'entity_id', 'review_on']).execute()

  // Gallringslogg: what was culled, when, by whom, under which decision (ids and counts only).
  await db.schema
    .createTable('culling_log')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('decision_id', 'uuid', (c) => c.references('retention_decisions.id'))
    .addColumn('rule_id', 'uuid', (c) => c.references('retention_rules.id'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('entity_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute()

  await sql`alter table audit_log drop constraint if exists audit_log_action_check`.execute(db)
  await sql`alter table audit_log add constraint audit_log_action_check check
    (action in ('create', 'update', 'delete', 'restore', 'merge', 'erase', 'restrict', 'extract', 'export'))`.execute(db)

  // Append-only: an audit row can be changed or removed only by the anonymisation of an
  // erasure, which sets navet.erasing for its own transaction (src/privacy/erasure.ts).
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('navet.erasing', true), '') = 'on' then
        if tg_op = 'DELETE' then return old; end if;
        return new;
      end if;
      raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db)
  await sql`drop trigger if exists audit_log_append_only on audit_log`.execute(db)
  await sql`drop function if exists audit_log_append_only()`.execute(db)
  await sql`alter table audit_log drop constraint if exists audit_log_action_check`.execute(db)
  await sql`alter table audit_log add constraint audit_log_action_check check
    (action in ('create', 'update', 'delete', 'restore', 'merge', 'erase'))`.execute(db)
  for (const t of ['culling_log', 'retention_reviews', 'retention_rules', 'retention_decisions', 'register_settings', 'consents', 'consent_texts']) {
    await db.schema.dropTable(t).execute()
  }
  await db.schema.alterTable('contacts').dropColumn('lawful_basis').dropColumn('lawful_basis_note').dropColumn('protected_identity').dropColumn('restricted').execute()
}
