import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
/** A timestamp the database fills in when the insert leaves it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

/** Columns every versioned, audited, soft-deletable record has. */
export interface RecordColumns {
  id: Generated<string>
  version: Generated<number>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export type Role = 'admin' | 'editor' | 'viewer'

export interface UsersTable extends RecordColumns {
  email: string
  name: string
  sort_name: string
  role: Role
  active: Generated<boolean>
  password_hash: string
  password_changed_at: DefaultTimestamp
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface SessionsTable {
  id: string
  secret_hash: Uint8Array
  user_id: string
  kind: 'browser' | 'api'
  created_at: DefaultTimestamp
  expires_at: Timestamp
  absolute_expires_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<string>
  at: DefaultTimestamp
  user_id: string | null
  entity_type: string
  entity_id: string
  action: 'create' | 'update' | 'delete' | 'restore' | 'merge' | 'erase'
  changes: ColumnType<Record<string, [unknown, unknown]>, string, string>
}

export interface RateLimitsTable {
  key: string
  count: number
  reset_at: Timestamp
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  audit_log: AuditLogTable
  rate_limits: RateLimitsTable
}

/** Tables that go through the audited write path (src/db/write.ts). */
export type VersionedTable = 'users'

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type AuditEntry = Selectable<AuditLogTable>
