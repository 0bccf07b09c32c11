import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Outreach (issue 12): newsletter lists and subscriptions, single-purpose mail tokens, issues and
// their per-recipient deliveries, and each address's bulk-mail standing (opt-out, bounces, hold).
// The job queue's own tables (schema pgboss) are made and migrated by pg-boss at start.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table newsletter_lists (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text,
    public boolean not null default true,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)

  await sql`create table newsletter_subscriptions (
    id uuid primary key default gen_random_uuid(),
    list_id uuid not null references newsletter_lists (id),
    contact_id uuid not null references contacts (id),
    status text not null default 'pending' check (status in ('pending', 'subscribed', 'unsubscribed')),
    consent_text text,
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (list_id, contact_id)
  )`.execute(db)
  await sql`create index newsletter_subscriptions_contact on newsletter_subscriptions (contact_id)`.execute(db)

  // Per address: "no bulk e-mail" (all lists at once) and the hold after repeated hard bounces.
  await sql`create table mail_standing (
    contact_id uuid primary key references contacts (id),
    no_bulk_at timestamptz,
    hard_bounces integer not null default 0,
    held_at timestamptz,
    updated_at timestamptz not null default now()
  )`.execute(db)

  // Only the SHA-256 of a token is kept; the token itself exists in the e-mail alone.
  await sql`create table mail_tokens (
    id uuid primary key default gen_random_uuid(),
    token_hash bytea not null unique,
    purpose text not null check (purpose in ('confirm')),
    contact_id uuid not null references contacts (id),
    list_ids uuid[] not null default '{}',
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db)

  await sql`create table newsletter_issues (
    id uuid primary key default gen_random_uuid(),
    subject text not null,
    body text not null,
    list_ids uuid[] not null,
    theme_ids uuid[] not null default '{}',
    status text not null default 'draft' check (status in ('draft', 'scheduled', 'sending', 'sent')),
    scheduled_at timestamptz,
    sent_at timestamptz,
    activity_id uuid references activities (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)

  // One row per recipient of an issue, written before anything is sent: the send is resumable and
  // a recipient is claimed by one sender at a time (for update skip locked).
  await sql`create table newsletter_deliveries (
    id uuid primary key default gen_random_uuid(),
    issue_id uuid not null references newsletter_issues (id),
    contact_id uuid not null references contacts (id),
    email text not null,
    status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
    token_hash bytea unique,
    attempts integer not null default 0,
    claimed_at timestamptz,
    sent_at timestamptz,
    error text,
    unique (issue_id, contact_id)
  )`.execute(db)
  await sql`create index newsletter_deliveries_pending on newsletter_deliveries (issue_id, status)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['newsletter_deliveries', 'newsletter_issues', 'mail_tokens', 'mail_standing', 'newsletter_subscriptions', 'newsletter_lists']) {
    await sql`drop table ${sql.id(t)}`.execute(db)
  }
}
