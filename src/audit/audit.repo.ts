import { sql } from 'kysely'
import type { AuditEntry } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { keysetPage, type Page } from '../db/pagination.ts'

export interface AuditFilter {
  entity_type?: string | undefined
  entity_id?: string | undefined
  user_id?: string | undefined
  action?: string | undefined
  from?: string | undefined
  to?: string | undefined
  limit: number
  cursor?: string | undefined
}

export type AuditRow = AuditEntry & { user_name: string | null }

/** Newest first; `from`/`to` are whole days in Swedish time. */
export async function pageAudit(db: Executor, f: AuditFilter): Promise<Page<AuditRow>> {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .selectAll('audit_log')
    .select('users.name as user_name')
  if (f.entity_type) q = q.where('audit_log.entity_type', '=', f.entity_type)
  if (f.entity_id) q = q.where('audit_log.entity_id', '=', f.entity_id)
  if (f.user_id) q = q.where('audit_log.user_id', '=', f.user_id)
  if (f.action) q = q.where('audit_log.action', '=', f.action as never)
  if (f.from) q = q.where('audit_log.at', '>=', sql<Date>`(${f.from}::date)::timestamp at time zone 'Europe/Stockholm'`)
  if (f.to) q = q.where('audit_log.at', '<', sql<Date>`(${f.to}::date + 1)::timestamp at time zone 'Europe/Stockholm'`)
  return keysetPage(q, [
    { expr: sql`audit_log.at`, type: 'timestamptz', of: (r) => r.at.toISOString() },
    { expr: sql`audit_log.id`, type: 'uuid', of: (r) => r.id },
  ], { ...f, dir: 'desc' })
}
