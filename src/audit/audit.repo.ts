import type { Executor } from '../db/write.ts'
import type { Page } from '../db/pagination.ts'
import { auditList, type AuditRow } from './audit.list.ts'

export type { AuditRow }

/** One record's history from the audit log, newest first (`limit` entries at most, 200 at most). */
export async function pageAudit(db: Executor, f: { entity_type: string; entity_id: string; limit: number }): Promise<Page<AuditRow>> {
  const { data, next_cursor } = await auditList.page(db, auditList.schema.parse(f), { count: false })
  return { data, next_cursor }
}
