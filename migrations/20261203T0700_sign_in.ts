import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Sign-in with an identity provider and a second factor (issue 13).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    // The provider's issuer and subject (OIDC iss/sub, SAML IdP entity id/NameID) of a person
    // created or linked at sign-in; the e-mail address may change at the provider, these do not.
    .addColumn('external_issuer', 'text')
    .addColumn('external_subject', 'text')
    // TOTP (RFC 6238): the key in use, one offered at enrolment and not yet confirmed, and the
    // last time step accepted (a code is good once).
    .addColumn('totp_key', 'bytea')
    .addColumn('totp_pending_key', 'bytea')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .execute()
  await sql`create unique index users_external_live on users (external_issuer, external_subject)
    where deleted_at is null and external_subject is not null`.execute(db)

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'bytea', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute()

  // A sign-in in progress: the OIDC state/nonce/PKCE verifier between the redirect and the
  // callback, or a password checked and waiting for its second factor. Short-lived, used once.
  await db.schema
    .createTable('login_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('oidc', 'saml', 'mfa')`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()

  // SAML replay protection: an assertion id seen once is refused until the assertion expires.
  await db.schema
    .createTable('saml_assertions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()

  // Which provider session a session came from: back-channel logout ends it by `sid`.
  await db.schema.alterTable('sessions').addColumn('provider', 'text').addColumn('provider_sid', 'text').execute()
  await db.schema.createIndex('sessions_provider_sid').on('sessions').column('provider_sid').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_provider_sid').execute()
  await db.schema.alterTable('sessions').dropColumn('provider').dropColumn('provider_sid').execute()
  for (const t of ['saml_assertions', 'login_requests', 'recovery_codes']) await db.schema.dropTable(t).execute()
  await sql`drop index users_external_live`.execute(db)
  await db.schema
    .alterTable('users')
    .dropColumn('external_issuer')
    .dropColumn('external_subject')
    .dropColumn('totp_key')
    .dropColumn('totp_pending_key')
    .dropColumn('totp_enabled_at')
    .dropColumn('totp_last_step')
    .execute()
}
