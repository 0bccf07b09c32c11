import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// How far the demo network loaded from /setup has come (issue 14), in the database rather than in
// the memory of the instance that took the setup: behind a load balancer the progress page's next
// poll may reach another instance. One row (one load per database); written by the loading
// instance as it goes, read by whichever instance answers.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table demo_loads (
    id smallint primary key check (id = 1),
    admin_id uuid references users (id),
    step text not null,
    percent integer not null check (percent between 0 and 100),
    status text not null check (status in ('running', 'done', 'failed')),
    updated_at timestamptz not null default now()
  )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table demo_loads`.execute(db)
}
