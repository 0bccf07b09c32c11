import { sql } from 'kysely'
import type { RetentionKind } from '../db/schema.ts'
import { inTransaction, softDeleteRecord, type Actor, type Executor } from '../db/write.ts'
import { anonymiseContact } from './anonymise.ts'
import { appendErasure } from './erasure-log.ts'
import { lastEngagedExpr } from './last-engaged.ts'
import { setRestricted } from './restriction.ts'

export interface DueItem {
  rule_id: string
  decision_id: string
  kind: RetentionKind
  entity_type: 'contact' | 'interaction' | 'import_upload' | 'subscription'
  entity_id: string
  label: string
  since: string | null
}

interface Rule { id: string; kind: RetentionKind; months: number; action: string; automatic: boolean; decision_id: string }

export async function liveRules(db: Executor): Promise<Rule[]> {
  return db.selectFrom('retention_rules').select(['id', 'kind', 'months', 'action', 'automatic', 'decision_id'])
    .where('deleted_at', 'is', null).orderBy('kind').orderBy('months').execute() as Promise<Rule[]>
}

/** A "keep" from the review page holds the record back until its review date. */
const notKept = (type: string, id: ReturnType<typeof sql.ref>) =>
  sql`not exists (select 1 from retention_reviews k where k.entity_type = ${type} and k.entity_id = ${id} and k.review_on > current_date)`

async function dueFor(db: Executor, rule: Rule, limit: number): Promise<DueItem[]> {
  const cutoff = sql`(current_date - make_interval(months => ${rule.months}))::date`
  const base = { rule_id: rule.id, decision_id: rule.decision_id, kind: rule.kind }
  switch (rule.kind) {
    case 'contacts_not_engaged': {
      const { rows } = await sql<{ id: string; label: string; since: string | null }>`
        select c.id, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) as label,
          coalesce(${lastEngagedExpr(sql.ref('c.id'))}, c.created_at::date)::text as since
        from contacts c
        where c.deleted_at is null and c.erased_at is null and c.merged_into_id is null
          and coalesce(${lastEngagedExpr(sql.ref('c.id'))}, c.created_at::date) < ${cutoff}
          and ${notKept('contact', sql.ref('c.id'))}
        order by since, c.sort_name, c.id limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...base, entity_type: 'contact' as const, entity_id: r.id, label: r.label, since: r.since }))
    }
    case 'interaction_notes': {
      const { rows } = await sql<{ id: string; kind: string; since: string }>`
        select i.id, i.kind, i.occurred_on::text as since from interactions i
        where i.deleted_at is null and i.occurred_on < ${cutoff} and ${notKept('interaction', sql.ref('i.id'))}
        order by i.occurred_on, i.id limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...base, entity_type: 'interaction' as const, entity_id: r.id, label: r.kind, since: r.since }))
    }
    case 'import_uploads': {
      const { rows } = await sql<{ id: string; filename: string; since: string }>`
        select u.id, u.filename, u.created_at::date::text as since from import_uploads u
        where u.created_at < now() - make_interval(months => ${rule.months}) - interval '24 hours' order by u.created_at, u.id limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...base, entity_type: 'import_upload' as const, entity_id: r.id, label: r.filename, since: r.since }))
    }
    case 'unconfirmed_subscriptions': {
      // A sign-up never confirmed: due 30 days (plus the rule's months) after it was last asked for.
      const { rows } = await sql<{ id: string; label: string; since: string }>`
        select s.id, l.name as label, s.updated_at::date::text as since from newsletter_subscriptions s
        join newsletter_lists l on l.id = s.list_id
        where s.status = 'pending' and s.updated_at < now() - make_interval(months => ${rule.months}) - interval '30 days'
          and ${notKept('subscription', sql.ref('s.id'))}
        order by s.updated_at, s.id limit ${limit}`.execute(db)
      return rows.map((r) => ({ ...base, entity_type: 'subscription' as const, entity_id: r.id, label: r.label, since: r.since }))
    }
    default:
      return []
  }
}

/** Everything the rules make due for review now, rule by rule. */
export async function dueItems(db: Executor, limit = 500): Promise<DueItem[]> {
  const out: DueItem[] = []
  for (const rule of await liveRules(db)) out.push(...(await dueFor(db, rule, limit)))
  return out
}

const CULLED = '[gallrad]'

export type CullAction = 'keep' | 'restrict' | 'anonymise' | 'delete'

/**
 * Carries out one decision of the review page (or the daily run) on records of one rule, and
 * writes the culling log (gallringslogg): when, who, which rule and decision, what was done to
 * how many, ids only. `keep` records a reason and the next review date instead.
 */
export async function cull(
  db: Executor, ruleId: string, action: CullAction, ids: string[], actor: Actor, opts: { erasureLog: string; reason?: string; reviewOn?: string },
): Promise<number> {
  return inTransaction(db, async (tx) => {
    const rule = await tx.selectFrom('retention_rules').select(['id', 'kind', 'decision_id']).where('id', '=', ruleId).where('deleted_at', 'is', null).executeTakeFirst()
    if (!rule || ids.length === 0) return 0
    const due = new Map((await dueFor(tx, { ...rule, months: await months(tx, ruleId), action, automatic: false } as Rule, 100_000)).map((d) => [d.entity_id, d]))
    const chosen = ids.filter((id) => due.has(id))
    const type = TYPE_OF[rule.kind]
    for (const id of chosen) {
      if (action === 'keep') {
        await tx.insertInto('retention_reviews').values({ entity_type: type, entity_id: id, reason: opts.reason ?? '', review_on: opts.reviewOn!, user_id: actor.userId }).execute()
      } else if (type === 'contact' && action === 'restrict') {
        if (await setRestricted(tx, id, true, actor)) appendErasure(opts.erasureLog, { at: new Date().toISOString(), contact_id: id, mode: 'restrict' })
      } else if (type === 'contact' && action === 'anonymise') {
        await anonymiseContact(tx, id, rule.decision_id, actor)
        appendErasure(opts.erasureLog, { at: new Date().toISOString(), contact_id: id, mode: 'anonymise', decision_id: rule.decision_id })
      } else if (type === 'interaction') {
        await softDeleteRecord(tx, 'interactions', id, actor)
        await tx.updateTable('interactions').set({ summary: CULLED }).where('id', '=', id).execute()
        // The note's text goes from its history too (the only change the audit trigger lets through).
        await sql`select set_config('navet.erasing', 'on', true)`.execute(tx)
        await sql`update audit_log set changes = jsonb_set(changes, '{summary}', jsonb_build_array(case when changes->'summary'->0 = 'null'::jsonb then null else ${CULLED}::text end, ${CULLED}::text))
          where entity_type = 'interaction' and entity_id = ${id} and jsonb_exists(changes, 'summary')`.execute(tx)
      } else if (type === 'import_upload') {
        await tx.deleteFrom('import_uploads').where('id', '=', id).execute()
      } else if (type === 'subscription') {
        const erased = await cullSubscription(tx, id, rule.decision_id, actor)
        if (erased) appendErasure(opts.erasureLog, { at: new Date().toISOString(), contact_id: erased, mode: 'anonymise', decision_id: rule.decision_id })
      }
    }
    if (chosen.length) {
      await tx.insertInto('culling_log').values({
        user_id: actor.userId, decision_id: rule.decision_id, rule_id: rule.id, entity_type: type, action, count: chosen.length, entity_ids: chosen,
      }).execute()
    }
    return chosen.length
  })
}

const TYPE_OF: Record<RetentionKind, DueItem['entity_type']> = {
  contacts_not_engaged: 'contact', interaction_notes: 'interaction', import_uploads: 'import_upload', unconfirmed_subscriptions: 'subscription',
}

/**
 * An unconfirmed subscription goes (whatever the action but keep: there is nothing to restrict),
 * with its unused confirmation links. The person goes too — anonymised under the rule's decision —
 * when the sign-up was all the register knew of them: no other subscription, link, participation,
 * seat, membership, registration or consent, and never touched by staff. Answers that person's id.
 */
async function cullSubscription(tx: Executor, id: string, decisionId: string, actor: Actor): Promise<string | null> {
  const sub = await tx.deleteFrom('newsletter_subscriptions').where('id', '=', id).where('status', '=', 'pending').returning(['contact_id', 'list_id']).executeTakeFirst()
  if (!sub) return null
  await tx.deleteFrom('mail_tokens').where('contact_id', '=', sub.contact_id).where('purpose', '=', 'confirm').where('used_at', 'is', null).execute()
  const { rows } = await sql<{ id: string }>`
    select c.id from contacts c where c.id = ${sub.contact_id} and c.erased_at is null and c.deleted_at is null
      and not exists (select 1 from newsletter_subscriptions s where s.contact_id = c.id)
      and not exists (select 1 from interaction_links l where l.contact_id = c.id)
      and not exists (select 1 from activity_participants p where p.contact_id = c.id)
      and not exists (select 1 from body_seats b where b.contact_id = c.id)
      and not exists (select 1 from alliance_members m where m.contact_id = c.id)
      and not exists (select 1 from event_registrations r where r.contact_id = c.id)
      and not exists (select 1 from consents k where k.contact_id = c.id)
      and not exists (select 1 from audit_log a where a.entity_type = 'contact' and a.entity_id = c.id and a.user_id is not null)`.execute(tx)
  if (!rows[0]) return null
  await anonymiseContact(tx, sub.contact_id, decisionId, actor)
  return sub.contact_id
}

async function months(db: Executor, ruleId: string): Promise<number> {
  return (await db.selectFrom('retention_rules').select('months').where('id', '=', ruleId).executeTakeFirstOrThrow()).months
}

/** The daily run: rules marked automatic carry out their own action on what they make due. */
export async function applyAutomaticRules(db: Executor, erasureLog: string): Promise<number> {
  let n = 0
  for (const rule of await liveRules(db)) {
    if (!rule.automatic || rule.action === 'review') continue
    const ids = (await dueFor(db, rule, 1000)).map((d) => d.entity_id)
    n += await cull(db, rule.id, rule.action as CullAction, ids, { userId: null }, { erasureLog })
  }
  return n
}
