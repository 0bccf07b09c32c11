import type { Executor } from '../db/write.ts'
import type { MessageKey } from './i18n.ts'

export interface TimelineEntry {
  at: Date
  date: string
  /** Who wrote the entry: 'audit' (the record's own history), 'interaction', 'alliance', … */
  kind: string
  who: string | null
  action?: string
  fields?: string[]
  summary?: string
  link?: string
  /** A catalogue key shown before the summary (an interaction's kind: "Möte"). */
  label?: MessageKey
  /** The entry has a day, not a time (an interaction happened on a date). */
  dateOnly?: boolean
  /** Where the change is shown field by field, before and after (src/privacy/history.routes.ts). */
  historyHref?: string
}

export type TimelineOwner = 'organisation' | 'contact'

/** What a feature adds to an organisation's or a contact's timeline. */
export type TimelineSource = (db: Executor, entityType: TimelineOwner, entityId: string) => Promise<TimelineEntry[]>

// Features register their sources when they plug in (src/web/plug-in.ts), so this file, which
// every detail page uses, imports none of them.
const sources = new Set<TimelineSource>()

export function registerTimeline(source: TimelineSource): void {
  sources.add(source)
}

/**
 * Everything about a record in date order, newest first: its audit history and what else the
 * features say concerns it (interactions, activities, alliances). Detail pages call this.
 */
export async function recordTimeline(db: Executor, entityType: TimelineOwner, entityId: string): Promise<TimelineEntry[]> {
  const found = await Promise.all([...sources].map((source) => source(db, entityType, entityId)))
  return found.flat().sort((a, b) => b.at.getTime() - a.at.getTime())
}
