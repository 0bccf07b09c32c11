import { sql } from 'kysely'
import type { Config } from '../config.ts'
import { findContact } from '../contacts/contacts.repo.ts'
import { contactName, toApiContact } from '../contacts/contacts.service.ts'
import { audit, inTransaction, type Actor, type Executor } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'
import { consentsOf } from './consents.service.ts'
import { isAuthority } from './lawful-basis.ts'
import { registerSettings } from './settings.repo.ts'
import { subscriptionsOf } from './subscriptions.ts'

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString())

/** Interactions linked to the person, and those whose text names them (full name or e-mail). */
async function interactionsAbout(db: Executor, id: string, needles: string[]) {
  const mention = needles.length
    ? sql`or ${sql.join(needles.map((n) => sql`strpos(lower(i.summary), lower(${n})) > 0`), sql` or `)}`
    : sql``
  const { rows } = await sql<{ id: string; kind: string; occurred_on: string; summary: string; linked: boolean; follow_up_on: string | null; follow_up_note: string | null }>`
    select i.id, i.kind, i.occurred_on::text, i.summary, i.follow_up_on::text, i.follow_up_note,
      exists (select 1 from interaction_links l where l.interaction_id = i.id and l.contact_id = ${id}) as linked
    from interactions i
    where i.deleted_at is null and (
      exists (select 1 from interaction_links l where l.interaction_id = i.id and l.contact_id = ${id}) ${mention})
    order by i.occurred_on desc, i.id`.execute(db)
  return rows.map((r) => ({ ...r, reference: r.linked ? 'linked' : 'mentioned' }))
}

/**
 * The register extract (GDPR art. 15): everything held about the person, and the facts about
 * the processing the law requires. Taking it is audited (`extract`) in the same transaction.
 * The processing facts are data (a purpose not set is null): the reader's words for them are
 * the edge's, `processingInWords` in extract-words.ts.
 */
export async function registerExtract(db: Executor, contactId: string, actor: Actor, config: Config) {
  return inTransaction(db, async (tx) => {
    const contact = await findContact(tx, contactId, { withDeleted: true })
    if (!contact || contact.merged_into_id) throw new NotFoundError()
    const name = contactName(contact)
    const needles = [name.includes(' ') ? name : '', contact.email ?? ''].filter((n) => n.length >= 5)
    const [interactions, activities, seats, alliances, consents, subscriptions, auditRows, settings, rules, created, mail] = await Promise.all([
      interactionsAbout(tx, contactId, needles),
      sql<{ id: string; title: string; type: string; status: string; start_date: string | null; role: string; attendance: string }>`
        select a.id, a.title, a.type, a.status, a.start_date::text, p.role, p.attendance from activity_participants p
        join activities a on a.id = p.activity_id where p.contact_id = ${contactId} and a.deleted_at is null
        order by a.start_date desc nulls last, a.id`.execute(tx).then((r) => r.rows),
      sql<{ id: string; body_id: string; body: string; organisation: string | null; role: string; start_date: string | null; end_date: string | null }>`
        select s.id, s.body_id, b.name as body, o.name as organisation, s.role, s.start_date::text, s.end_date::text from body_seats s
        join bodies b on b.id = s.body_id left join organisations o on o.id = s.organisation_id
        where s.contact_id = ${contactId} and b.deleted_at is null order by s.start_date desc nulls last, s.id`.execute(tx).then((r) => r.rows),
      sql<{ alliance_id: string; alliance: string; organisation: string; role: string; start_date: string | null; end_date: string | null }>`
        select m.alliance_id, a.name as alliance, o.name as organisation, m.role, m.start_date::text, m.end_date::text from alliance_members m
        join alliances a on a.id = m.alliance_id join organisations o on o.id = m.organisation_id
        where m.contact_id = ${contactId} and a.deleted_at is null order by a.sort_name, m.id`.execute(tx).then((r) => r.rows),
      consentsOf(tx, contactId),
      subscriptionsOf(tx, contactId),
      tx.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id')
        .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.changes', 'users.name as user_name'])
        .where('audit_log.entity_type', '=', 'contact').where('audit_log.entity_id', '=', contactId)
        .orderBy('audit_log.at').orderBy('audit_log.id').execute(),
      registerSettings(tx),
      retentionRulesForExtract(tx),
      tx.selectFrom('audit_log').select(['at', 'changes']).where('entity_type', '=', 'contact').where('entity_id', '=', contactId)
        .where('action', '=', 'create').executeTakeFirst(),
      mailAbout(tx, contactId),
    ])
    const extract = {
      contact: toApiContact(contact),
      affiliations: contact.affiliations.map((a) => ({
        organisation_id: a.organisation_id, organisation: a.organisation_name, role: a.role, start_date: a.start_date, end_date: a.end_date, primary: a.is_primary,
      })),
      interactions,
      activities,
      seats,
      alliances,
      subscriptions,
      consents,
      registrations: mail.registrations,
      mailings: mail.mailings,
      mail_standing: mail.standing,
      audit: auditRows.map((r) => ({ id: r.id, at: iso(r.at), action: r.action, by: r.user_name, changes: r.changes })),
      processing: {
        controller: settings.controller,
        dpo_contact: settings.dpo_contact,
        purpose: settings.purpose,
        consent_purposes: [...new Set(consents.filter((c) => !c.withdrawn_at).map((c) => c.purpose))],
        lawful_basis: { basis: contact.lawful_basis, note: contact.lawful_basis_note },
        retention: rules,
        recipients: settings.recipients,
        source: settings.source,
        registered_on: created ? iso(created.at)!.slice(0, 10) : null,
        controller_kind: isAuthority(config) ? 'authority' : 'other',
      },
      extracted_at: new Date().toISOString(),
    }
    await audit(tx, actor, 'contact', contactId, 'extract', {})
    return extract
  })
}

export type RegisterExtractFacts = Awaited<ReturnType<typeof registerExtract>>

/**
 * What was sent to the person and what they told us through the public forms: event
 * registrations (with their answers), invitations and newsletter issues mailed (to which
 * address, when), and their standing for bulk e-mail (opted out, on hold after bounces).
 */
async function mailAbout(db: Executor, contactId: string) {
  const [registrations, invitations, deliveries, standing] = await Promise.all([
    sql<{ activity_id: string; activity: string; status: string; answers: Record<string, string>; registered_at: string; cancelled_at: string | null }>`
      select r.activity_id, a.title as activity, r.status, r.answers, r.created_at::text as registered_at, r.cancelled_at::text as cancelled_at
      from event_registrations r join activities a on a.id = r.activity_id where r.contact_id = ${contactId} order by r.created_at, r.id`.execute(db).then((r) => r.rows),
    sql<{ kind: string; what: string; email: string; status: string; sent_at: string | null }>`
      select 'invitation' as kind, a.title as what, i.email, i.status, i.sent_at::text as sent_at
      from event_invitations i join activities a on a.id = i.activity_id where i.contact_id = ${contactId} order by i.created_at, i.id`.execute(db).then((r) => r.rows),
    sql<{ kind: string; what: string; email: string; status: string; sent_at: string | null }>`
      select 'newsletter' as kind, n.subject as what, d.email, d.status, d.sent_at::text as sent_at
      from newsletter_deliveries d join newsletter_issues n on n.id = d.issue_id where d.contact_id = ${contactId} order by d.sent_at nulls last, d.id`.execute(db).then((r) => r.rows),
    db.selectFrom('mail_standing').select(['no_bulk_at', 'held_at', 'hard_bounces']).where('contact_id', '=', contactId).executeTakeFirst(),
  ])
  return {
    registrations,
    mailings: [...invitations, ...deliveries],
    standing: standing ? { no_bulk_e_mail_since: iso(standing.no_bulk_at), on_hold_since: iso(standing.held_at), hard_bounces: standing.hard_bounces } : null,
  }
}

/** The retention rules as a person reads them: kind, period, action and the decision behind it. */
async function retentionRulesForExtract(db: Executor) {
  const { rows } = await sql<{ kind: string; months: number; action: string; reference: string; title: string }>`
    select r.kind, r.months, r.action, d.reference, d.title from retention_rules r join retention_decisions d on d.id = r.decision_id
    where r.deleted_at is null and d.deleted_at is null order by r.kind, r.months`.execute(db)
  return rows.map((r) => ({ kind: r.kind, months: r.months, action: r.action, decision: `${r.reference} ${r.title}` }))
}
