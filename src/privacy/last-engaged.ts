import { sql } from 'kysely'

/**
 * When a person last engaged with us, derived (never stored): the latest of the interactions they
 * are linked to and the done activities they attended or received, as SQL for one contact — read
 * with every contact record (withAffiliations) and by lists that filter or sort by it.
 */
export function lastEngagedExpr(contactId: ReturnType<typeof sql>) {
  return sql<string | null>`greatest(
    (select max(i.occurred_on) from interaction_links l join interactions i on i.id = l.interaction_id
      where l.contact_id = ${contactId} and i.deleted_at is null),
    (select max(coalesce(a.end_date, a.start_date)) from activity_participants p join activities a on a.id = p.activity_id
      where p.contact_id = ${contactId} and a.deleted_at is null and a.status = 'done' and p.attendance in ('attended', 'received'))
  )`
}
