import type { Executor } from '../db/write.ts'
import { pageAudit } from '../audit/audit.repo.ts'
import { activityTimeline } from '../activities/activity-timeline.ts'
import { allianceTimeline } from '../alliances/alliance-timeline.ts'
import { interactionTimeline } from '../interactions/interaction-timeline.ts'
import type { MessageKey } from './i18n.ts'

export interface TimelineEntry {
  at: Date
  date: string
  kind: 'audit' | 'interaction' | 'alliance' | 'project' | 'activity'
  who: string | null
  action?: string
  fields?: string[]
  summary?: string
  link?: string
  /** A catalogue key shown before the summary (an interaction's kind: "Möte"). */
  label?: MessageKey
  /** The entry has a day, not a time (an interaction happened on a date). */
  dateOnly?: boolean
}

/** The record's own history from the audit log, newest first. Later features merge theirs in. */
export async function auditTimeline(db: Executor, entityType: string, entityId: string, limit = 50): Promise<TimelineEntry[]> {
  const page = await pageAudit(db, { entity_type: entityType, entity_id: entityId, limit })
  return page.data.map((r) => ({
    at: r.at,
    date: r.at.toISOString(),
    kind: 'audit',
    who: r.user_name,
    action: r.action,
    fields: r.action === 'update' ? Object.keys(r.changes) : undefined,
  }))
}

/**
 * Everything about a record in date order, newest first: its audit history and, as features
 * land, what else concerns it (interactions, activities, alliances). Detail pages call this.
 */
export async function recordTimeline(db: Executor, entityType: 'organisation' | 'contact', entityId: string): Promise<TimelineEntry[]> {
  const [audit, interactions, alliances, activities] = await Promise.all([
    auditTimeline(db, entityType, entityId),
    interactionTimeline(db, entityType, entityId),
    allianceTimeline(db, entityType, entityId),
    activityTimeline(db, entityType, entityId),
  ])
  const entries = [...audit, ...interactions, ...alliances, ...activities]
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime())
}
