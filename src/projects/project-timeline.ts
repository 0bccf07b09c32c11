import type { Executor } from '../db/write.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import type { TimelineEntry } from '../web/timeline.ts'
import type { ProjectRecord } from './projects.repo.ts'

const atNoon = (day: string) => new Date(`${day}T12:00:00Z`)

/**
 * A project's life in date order, newest first: its start and end (said as planned or done by
 * `today`), the products registered for it, and its own history from the audit log.
 */
export async function projectTimeline(db: Executor, project: ProjectRecord, today: string): Promise<TimelineEntry[]> {
  const [audit, products] = await Promise.all([
    auditTimeline(db, 'project', project.id),
    db.selectFrom('products').select(['id', 'title', 'created_at']).where('project_id', '=', project.id).where('deleted_at', 'is', null).execute(),
  ])
  const milestone = (day: string | null, future: TimelineEntry['label'], past: TimelineEntry['label']): TimelineEntry[] =>
    day ? [{ at: atNoon(day), date: day, dateOnly: true, kind: 'project', who: null, label: day > today ? future : past, summary: project.name }] : []
  const entries: TimelineEntry[] = [
    ...milestone(project.start_date, 'project.timeline.start', 'project.timeline.started'),
    ...milestone(project.end_date, 'project.timeline.end', 'project.timeline.ended'),
    ...products.map((p): TimelineEntry => ({
      at: p.created_at, date: p.created_at.toISOString(), kind: 'project', who: null, label: 'project.timeline.product', summary: p.title, link: `/products/${p.id}`,
    })),
    ...audit,
  ]
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime())
}
