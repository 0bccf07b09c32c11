import type { Executor } from '../db/write.ts'

/** How far an issue's send has come: recipients by delivery status. */
export async function sendingProgress(db: Executor, issueId: string) {
  const rows = await db.selectFrom('newsletter_deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('issue_id', '=', issueId).groupBy('status').execute()
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
  const total = rows.reduce((s, r) => s + Number(r.n), 0)
  return { total, sent: by.sent ?? 0, pending: (by.pending ?? 0) + (by.sending ?? 0), failed: by.failed ?? 0 }
}

/** Every issue that has recipients, newest first, with its progress (the admin job page). */
export async function sendingOverview(db: Executor, limit = 20) {
  return db.selectFrom('newsletter_issues as i')
    .leftJoin('newsletter_deliveries as d', 'd.issue_id', 'i.id')
    .select(['i.id', 'i.subject', 'i.status', 'i.updated_at',
      (eb) => eb.fn.count<number>('d.id').as('total'),
      (eb) => eb.fn.count<number>('d.id').filterWhere('d.status', '=', 'sent').as('sent'),
      (eb) => eb.fn.count<number>('d.id').filterWhere('d.status', '=', 'failed').as('failed'),
      (eb) => eb.fn.max('d.attempts').as('max_attempts')])
    .where('i.status', 'in', ['scheduled', 'sending', 'sent'])
    .groupBy(['i.id', 'i.subject', 'i.status', 'i.updated_at'])
    .orderBy('i.updated_at', 'desc').limit(limit).execute()
}
