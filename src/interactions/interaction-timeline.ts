import type { Executor } from '../db/write.ts'
import { formatDate } from '../web/format.ts'
import type { TimelineEntry } from '../web/timeline.ts'
import { shortSummary } from './follow-ups.ts'
import { interactionsOf } from './interactions.repo.ts'

/** A record's interactions as timeline entries, for src/web/timeline.ts to merge with the rest. */
export async function interactionTimeline(db: Executor, type: 'organisation' | 'contact', id: string): Promise<TimelineEntry[]> {
  const rows = await interactionsOf(db, type, id)
  return rows.map((i) => ({
    // Logged the day it happened: its own time orders it among that day's changes; else midday.
    at: formatDate(i.created_at) === i.occurred_on ? i.created_at : new Date(`${i.occurred_on}T12:00:00Z`),
    date: i.occurred_on,
    dateOnly: true,
    kind: 'interaction',
    label: `interaction.kind.${i.kind}`,
    who: i.created_by_name,
    summary: shortSummary(i.summary),
    link: `/interactions/${i.id}`,
  }))
}
