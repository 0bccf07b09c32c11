import type { Interaction } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { linksOf, userNames, type LinkedRecord } from './interactions.repo.ts'

/** What a follow-up row shows: the interaction, whom it concerns, who follows up. */
export interface FollowUpItem {
  id: string
  kind: Interaction['kind']
  summary: string
  /** The follow-up's own line, when one was written. */
  note: string | null
  occurred_on: string
  follow_up_on: string | null
  done_at: Date | null
  assignee: string | null
  contacts: LinkedRecord[]
  organisations: LinkedRecord[]
}

export function shortSummary(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line
}

export async function followUpItems(db: Executor, rows: readonly Interaction[]): Promise<FollowUpItem[]> {
  const [links, names] = await Promise.all([linksOf(db, rows.map((r) => r.id)), userNames(db, rows.map((r) => r.follow_up_assignee_id))])
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    summary: shortSummary(r.summary),
    note: r.follow_up_note,
    occurred_on: r.occurred_on,
    follow_up_on: r.follow_up_on,
    done_at: r.follow_up_done_at,
    assignee: r.follow_up_assignee_id ? (names.get(r.follow_up_assignee_id) ?? null) : null,
    contacts: links.get(r.id)?.contacts ?? [],
    organisations: links.get(r.id)?.organisations ?? [],
  }))
}

/** A Swedish calendar day `n` days after `day` (both YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
