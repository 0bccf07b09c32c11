import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Personal data (issue 11): every view of a person with protected identity is audited ('view').

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log drop constraint if exists audit_log_action_check`.execute(db)
  await sql`alter table audit_log add constraint audit_log_action_check check
    (action in ('create', 'update', 'delete', 'restore', 'merge', 'erase', 'restrict', 'extract', 'export', 'view'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log drop constraint if exists audit_log_action_check`.execute(db)
  await sql`alter table audit_log add constraint audit_log_action_check check
    (action in ('create', 'update', 'delete', 'restore', 'merge', 'erase', 'restrict', 'extract', 'export'))`.execute(db)
}
