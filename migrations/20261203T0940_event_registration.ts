import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Event registration (issue 12): per activity its registration settings (open, capacity, deadline,
// questions), the registrations with their waitlist, single-purpose cancel tokens, and invitations
// sent as a durable, resumable job (one row per invitee, like newsletter_deliveries).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table event_registration_settings (
    id uuid primary key default gen_random_uuid(),
    activity_id uuid not null unique references activities (id),
    open boolean not null default false,
    capacity integer check (capacity is null or capacity > 0),
    deadline date,
    questions jsonb not null default '[]',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
  )`.execute(db)

  // One per person and activity. `waitlisted` rows are promoted oldest first (created_at, id).
  await sql`create table event_registrations (
    id uuid primary key default gen_random_uuid(),
    activity_id uuid not null references activities (id),
    contact_id uuid not null references contacts (id),
    status text not null check (status in ('registered', 'waitlisted', 'cancelled')),
    answers jsonb not null default '{}',
    lang text not null default 'sv' check (lang in ('sv', 'en')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    promoted_at timestamptz,
    cancelled_at timestamptz,
    unique (activity_id, contact_id)
  )`.execute(db)
  await sql`create index event_registrations_queue on event_registrations (activity_id, status, created_at)`.execute(db)

  // Only the SHA-256 of a token is kept; the token itself exists in the e-mail alone.
  await sql`create table event_tokens (
    id uuid primary key default gen_random_uuid(),
    token_hash bytea not null unique,
    purpose text not null check (purpose in ('cancel')),
    registration_id uuid not null references event_registrations (id),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db)

  await sql`create table event_invitations (
    id uuid primary key default gen_random_uuid(),
    activity_id uuid not null references activities (id),
    contact_id uuid not null references contacts (id),
    email text not null,
    lang text not null default 'sv' check (lang in ('sv', 'en')),
    status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
    attempts integer not null default 0,
    claimed_at timestamptz,
    sent_at timestamptz,
    error text,
    created_at timestamptz not null default now(),
    unique (activity_id, contact_id)
  )`.execute(db)
  await sql`create index event_invitations_pending on event_invitations (activity_id, status)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['event_invitations', 'event_tokens', 'event_registrations', 'event_registration_settings']) {
    await sql`drop table ${sql.id(t)}`.execute(db)
  }
}
