import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../db/write.ts'
import { formatDate } from '../web/format.ts'

/**
 * A person in context (issue 14): wherever a person is named — search hits, pickers, a plan's
 * not-reached list, participant tables, alliance contact pickers — their current organisation
 * and county go with the name, so "Selma Abdullahi" ×118 becomes someone you can tell apart.
 *
 * One rule, used everywhere: the current organisation is the live organisation of an affiliation
 * valid today (both ends inclusive, open ends open), the primary one first, then by name; the
 * county is the person's own, else that organisation's. Only the reader's visible people should
 * be asked about (src/privacy/visibility.ts): this adds context, it does not decide who is shown.
 */
export interface PersonContext {
  organisation_id: string | null
  organisation_name: string | null
  county: string | null
}

export const NO_CONTEXT: PersonContext = { organisation_id: null, organisation_name: null, county: null }

/** The context of each person in `ids` (a person without one gets NO_CONTEXT), in one query. */
export async function personContexts(db: Executor, ids: readonly (string | null | undefined)[], day = formatDate(new Date())): Promise<Map<string, PersonContext>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string' && UUID.test(id)))]
  const out = new Map<string, PersonContext>(wanted.map((id) => [id, NO_CONTEXT]))
  if (wanted.length === 0) return out
  const { rows } = await sql<{ id: string; organisation_id: string | null; organisation_name: string | null; county: string | null }>`
    select c.id, cur.organisation_id, cur.organisation_name, coalesce(c.county, cur.county) as county
    from contacts c
    left join lateral (${currentAffiliation(sql`c.id`, sql`${day}::date`)}) cur on true
    where c.id = any(${sql.val(wanted)}::uuid[])`.execute(db)
  for (const r of rows) out.set(r.id, { organisation_id: r.organisation_id, organisation_name: r.organisation_name, county: r.county })
  return out
}

/** A subquery for a lateral join: the person's current organisation (id, name, county) or no row. */
export function currentAffiliation(contactId: RawBuilder<unknown>, day: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select o.id as organisation_id, o.name as organisation_name, o.county
    from affiliations af join organisations o on o.id = af.organisation_id and o.deleted_at is null
    where af.contact_id = ${contactId}
      and (af.start_date is null or af.start_date <= ${day}) and (af.end_date is null or af.end_date >= ${day})
    order by af.is_primary desc, o.sort_name, o.id limit 1`
}

/**
 * The same as text, for a SQL select list: "Organisation, County" ('' when neither is known).
 * `alias` names the contacts row.
 */
export function personContextSql(alias = 'contacts', day: RawBuilder<unknown> = sql`current_date`): RawBuilder<string> {
  const c = sql.ref(`${alias}.id`)
  const county = sql.ref(`${alias}.county`)
  return sql<string>`coalesce((select concat_ws(', ', x.organisation_name, coalesce(${county}, x.county))
    from (${currentAffiliation(c, day)}) x), coalesce(${county}, ''))`
}

/** "Organisation, County", or '' — the muted text after a person's name. */
export function contextText(ctx: PersonContext | undefined | null): string {
  if (!ctx) return ''
  return [ctx.organisation_name, ctx.county].filter(Boolean).join(', ')
}

/** "Name – Organisation, County" for places that take plain text (an option, a title). */
export function personLabel(name: string, ctx: PersonContext | string | undefined | null): string {
  const text = typeof ctx === 'string' ? ctx : contextText(ctx)
  return text ? `${name} – ${text}` : name
}

/**
 * Which of these (person, organisation) pairs hold an affiliation valid today, as a set of
 * `person:organisation` keys: an organisation's contact person from elsewhere is worth a warning.
 */
export async function worksAt(db: Executor, pairs: readonly { contact_id: string | null | undefined; organisation_id: string | null | undefined }[], day = formatDate(new Date())): Promise<Set<string>> {
  const valid = pairs.filter((p): p is { contact_id: string; organisation_id: string } => UUID.test(p.contact_id ?? '') && UUID.test(p.organisation_id ?? ''))
  if (valid.length === 0) return new Set()
  const { rows } = await sql<{ contact_id: string; organisation_id: string }>`
    select distinct af.contact_id, af.organisation_id from affiliations af
    where af.contact_id = any(${sql.val(valid.map((p) => p.contact_id))}::uuid[])
      and af.organisation_id = any(${sql.val(valid.map((p) => p.organisation_id))}::uuid[])
      and (af.start_date is null or af.start_date <= ${day}::date) and (af.end_date is null or af.end_date >= ${day}::date)`.execute(db)
  return new Set(rows.map((r) => `${r.contact_id}:${r.organisation_id}`))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
