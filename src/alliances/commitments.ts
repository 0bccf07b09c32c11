import type { CommitmentStatus } from '../db/schema.ts'

/** An open commitment due within this many days is "due soon". */
export const DUE_SOON_DAYS = 14

export type CommitmentState = 'overdue' | 'due_soon' | 'open' | 'done' | 'dropped'

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000)
}

/**
 * Where a commitment stands on `today`: an open one is overdue the day after its due date, and
 * due soon from DUE_SOON_DAYS before it up to the due date itself.
 */
export function commitmentState(c: { status: CommitmentStatus; due_date: string | null }, today: string): CommitmentState {
  if (c.status !== 'open') return c.status
  if (!c.due_date) return 'open'
  if (c.due_date < today) return 'overdue'
  return c.due_date <= addDays(today, DUE_SOON_DAYS) ? 'due_soon' : 'open'
}

/** An alliance is to be reviewed from its review date on. */
export function reviewDue(reviewDate: string | null, today: string): boolean {
  return reviewDate !== null && reviewDate <= today
}
