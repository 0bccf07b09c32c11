import type { Executor } from '../db/write.ts'
import type { TimelineEntry } from '../web/timeline.ts'
import { pageAudit } from './audit.repo.ts'

/** The record's own history from the audit log, newest first. */
export async function auditTimeline(db: Executor, entityType: string, entityId: string, limit = 50): Promise<TimelineEntry[]> {
  const page = await pageAudit(db, { entity_type: entityType, entity_id: entityId, limit })
  return page.data.map((r) => ({
    at: r.at,
    date: r.at.toISOString(),
    kind: 'audit',
    who: r.user_name,
    action: r.action,
    fields: r.action === 'update' ? Object.keys(r.changes) : undefined,
    historyHref: `/history/${entityType}/${entityId}#a-${r.id}`,
  }))
}
