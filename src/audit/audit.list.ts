import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { AuditEntry } from '../db/schema.ts'
import { isoDate } from '../register/fields.ts'
import { defineList, filter } from '../web/list.ts'

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'restore', 'merge', 'erase', 'restrict', 'extract', 'export', 'view'] as const

export type AuditRow = AuditEntry & { user_name: string | null; at_key?: string }

const show = (v: unknown) => (v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))

/** One line per changed field (one for an entry that changed none): the readable audit trail. */
export function auditLines(rows: AuditRow[]) {
  return rows.flatMap((r) => {
    const fields = Object.entries(r.changes)
    const base = { id: r.id, at: r.at, who: r.user_name, user_id: r.user_id, action: r.action, entity_type: r.entity_type, entity_id: r.entity_id }
    if (!fields.length) return [{ ...base, field: '', before: '', after: '' }]
    return fields.map(([field, [before, after]]) => ({ ...base, field, before: show(before), after: show(after) }))
  })
}

export const toApiAudit = (r: AuditRow) => ({
  id: r.id,
  at: r.at.toISOString(),
  user_id: r.user_id,
  entity_type: r.entity_type,
  entity_id: r.entity_id,
  action: r.action,
  changes: r.changes,
})

// The start of a day (plus some days) in Swedish time: `from` and `to` are whole days.
const dayStart = (d: string, plus = 0) => sql`(${d}::date + ${plus}::int)::timestamp at time zone 'Europe/Stockholm'`

/**
 * The audit log — the admin page, the API and the CSV export — newest first. It is append-only
 * and has no deleted view. Its CSV is the readable trail, one line per changed field.
 */
export const auditList = defineList({
  path: '/admin/audit',
  filters: {
    entity_type: filter(z.string().max(50).optional(), (v) => sql<SqlBool>`audit_log.entity_type = ${v}`),
    entity_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`audit_log.entity_id = ${v}::uuid`),
    user_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`audit_log.user_id = ${v}::uuid`),
    action: filter(z.enum(AUDIT_ACTIONS).optional(), (v) => sql<SqlBool>`audit_log.action = ${v}`),
    from: filter(isoDate.optional(), (v) => sql<SqlBool>`audit_log.at >= ${dayStart(v)}`),
    to: filter(isoDate.optional(), (v) => sql<SqlBool>`audit_log.at < ${dayStart(v, 1)}`),
  },
  sorts: {
    at: [
      // The cursor holds `at` to the microsecond (at_key): one transaction writes many entries
      // with the same now(), and a Date's milliseconds skipped the rest of them at a page's end.
      { expr: sql`audit_log.at`, type: 'timestamptz', of: (r: AuditRow) => r.at_key ?? r.at.toISOString() },
      { expr: sql`audit_log.id`, type: 'uuid', of: (r: AuditRow) => r.id },
    ],
  },
  defaultSort: 'at',
  defaultDir: 'desc',
  from: (db) => db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id').selectAll('audit_log').select('users.name as user_name')
    .select(sql<string>`to_char(audit_log.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key')),
  toApi: toApiAudit,
  csv: {
    filename: 'audit.csv',
    columns: ['at', 'user', 'user_id', 'entity_type', 'entity_id', 'action', 'field', 'before', 'after'],
    lines: (r) => auditLines([r]).map((l) => ({ ...l, user: l.who ?? 'system' })),
  },
})
