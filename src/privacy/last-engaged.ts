import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

/**
 * When each person last engaged with us, derived (never stored): the latest of the interactions
 * they are linked to, the done activities they attended or received, and — once the newsletter
 * tables exist — their confirmed subscriptions. Dates as YYYY-MM-DD, null when none.
 */
export async function lastEngagedOn(db: Executor, contactIds: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(contactIds.map((id) => [id, null]))
  if (contactIds.length === 0) return out
  const { rows } = await sql<{ id: string; day: string | null }>`
    select c.id, ${lastEngagedExpr(sql`c.id`)}::text as day
    from contacts c where c.id = any(${sql.val([...contactIds])}::uuid[])`.execute(db)
  for (const r of rows) out.set(r.id, r.day)
  return out
}

/** The SQL for one contact's last engagement date, for lists that filter or sort by it. */
export function lastEngagedExpr(contactId: ReturnType<typeof sql>) {
  return sql<string | null>`greatest(
    (select max(i.occurred_on) from interaction_links l join interactions i on i.id = l.interaction_id
      where l.contact_id = ${contactId} and i.deleted_at is null),
    (select max(coalesce(a.end_date, a.start_date)) from activity_participants p join activities a on a.id = p.activity_id
      where p.contact_id = ${contactId} and a.deleted_at is null and a.status = 'done' and p.attendance in ('attended', 'received'))
  )`
}
