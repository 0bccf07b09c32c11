import { sql, type Transaction } from 'kysely'
import { contactsByEmail, readPasted } from '../activities/participants-input.ts'
import type { Database } from '../db/schema.ts'
import { inTransaction, updateRecord, type Actor, type Executor } from '../db/write.ts'
import type { JobData, Jobs } from '../jobs/jobs.ts'
import { mailDomain } from '../mail/mailer.ts'
import type { OutreachContext } from '../newsletter/outreach-context.ts'
import { mailableContacts } from '../newsletter/recipients.ts'
import { segmentMemberIds } from '../segments/segment-members.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { translator, type Lang, type Translate } from '../web/i18n.ts'
import { registrationLink, whenText, whereText } from './event-mail.ts'
import type { InviteSource } from './events.schema.ts'
import { findSettings } from './registration.service.ts'

export const INVITE_JOB = 'event-invite'
const BATCH = 25
/** An invitation claimed this long ago by a sender that died is claimed again. */
const STALE_CLAIM = '10 minutes'

export interface Invitees {
  contactIds: string[]
  /** Pasted addresses that matched no contact: listed back, never dropped silently. */
  unknown: string[]
  unreadable: string[]
}

/** Whom a source names: the activity's invited participants, pasted addresses or a saved segment. */
export async function inviteesOf(db: Executor, activityId: string, source: InviteSource, t: Translate): Promise<Invitees> {
  if (source.source === 'participants') {
    const rows = await db.selectFrom('activity_participants').select('contact_id')
      .where('activity_id', '=', activityId).where('attendance', '=', 'invited').where('contact_id', 'is not', null).execute()
    return { contactIds: rows.map((r) => r.contact_id!), unknown: [], unreadable: [] }
  }
  if (source.source === 'emails') {
    const read = readPasted(source.emails.join('\n'))
    const ids = await contactsByEmail(db, read.addresses.map((a) => a.email))
    return {
      contactIds: [...new Set(read.addresses.flatMap((a) => (ids.has(a.email) ? [ids.get(a.email)!] : [])))],
      unknown: read.addresses.filter((a) => !ids.has(a.email)).map((a) => a.email),
      unreadable: read.unreadable,
    }
  }
  // A saved segment (src/segments): its members now, resolved in SQL; it never holds protected or
  // restricted people, and mailableContacts() below leaves out those who may not be mailed.
  const segment = await db.selectFrom('segments').select('id').where('id', '=', source.segment_id).where('deleted_at', 'is', null).executeTakeFirst()
  if (!segment) throw new ValidationError({ segment_id: t('events.segment_unknown') })
  const { rows } = await sql<{ contact_id: string }>`${segmentMemberIds({ ids: [segment.id] })}`.execute(db)
  return { contactIds: rows.map((r) => r.contact_id), unknown: [], unreadable: [] }
}

export interface InviteResult {
  queued: number
  /** Invited before (each person gets one invitation per activity). */
  already: number
  /** No address, "no bulk e-mail", on hold after bounces, protected identity or restricted. */
  not_mailable: number
  unknown: string[]
  unreadable: string[]
}

/**
 * Queues invitations: one row per invitee, written with the job in one transaction, so the send
 * survives a restart and nobody is invited twice. Invitees not yet taking part become
 * participants with attendance `invited` (one audited change of the activity).
 */
export async function invite(db: Executor, jobs: Jobs, activityId: string, source: InviteSource, lang: Lang, actor: Actor, t: Translate): Promise<InviteResult> {
  return inTransaction(db, async (tx) => {
    const activity = await tx.selectFrom('activities').select(['id', 'version']).where('id', '=', activityId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
    if (!activity) throw new NotFoundError()
    if (!(await findSettings(tx, activityId))) throw new ValidationError({ source: t('events.invite_needs_settings') })
    const who = await inviteesOf(tx, activityId, source, t)
    const mailable = who.contactIds.length === 0 ? [] : await mailableContacts(tx).where('c.id', 'in', who.contactIds).select(['c.id', 'c.email']).execute()
    const added = mailable.length === 0 ? [] : await tx.insertInto('event_invitations')
      .values(mailable.map((c) => ({ activity_id: activityId, contact_id: c.id, email: c.email!, lang })))
      .onConflict((oc) => oc.columns(['activity_id', 'contact_id']).doNothing())
      .returning('contact_id').execute()
    const ids = added.map((r) => r.contact_id)
    if (ids.length) {
      const participants = await addInvited(tx, activityId, ids)
      await updateRecord(tx, 'activities', activityId, activity.version, {}, actor, { invitations: [null, { queued: ids.length, participants_added: participants }] })
      await jobs.send(INVITE_JOB, { activity_id: activityId }, { tx })
    }
    return {
      queued: ids.length, already: mailable.length - ids.length, not_mailable: who.contactIds.length - mailable.length,
      unknown: who.unknown, unreadable: who.unreadable,
    }
  })
}

/** Invitees who are not participants yet become ones with attendance `invited`; others keep theirs. */
async function addInvited(tx: Transaction<Database>, activityId: string, contactIds: string[]): Promise<number> {
  const rows = await tx.insertInto('activity_participants')
    .columns(['activity_id', 'contact_id', 'role', 'attendance'])
    .expression((eb) => eb.selectFrom(sql<{ id: string }>`unnest(${sql.val(contactIds)}::uuid[])`.as('n'))
      .select([sql.val(activityId).as('activity_id'), sql<string>`n`.as('contact_id'), sql.lit('participant').as('role'), sql.lit('invited').as('attendance')])
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('activity_participants as p').select(sql`1`.as('one'))
        .where('p.activity_id', '=', activityId).whereRef('p.contact_id', '=', sql<string>`n`)))))
    .returning('id').execute()
  return rows.length
}

/** Claims up to BATCH unsent invitations, skipping those another sender holds. */
async function claim(ctx: OutreachContext, activityId: string) {
  return ctx.db.updateTable('event_invitations')
    .set({ status: 'sending', claimed_at: sql`now()`, attempts: sql`attempts + 1` })
    .where('id', 'in', (qb) => qb.selectFrom('event_invitations').select('id')
      .where('activity_id', '=', activityId)
      .where((eb) => eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', sql<Date>`now() - ${sql.lit(STALE_CLAIM)}::interval`)]),
      ]))
      .orderBy('id').limit(BATCH).forUpdate().skipLocked())
    .returning(['id', 'email', 'lang'])
    .execute()
}

const release = (ctx: OutreachContext, id: string) =>
  ctx.db.updateTable('event_invitations').set({ status: 'pending', claimed_at: null }).where('id', '=', id).execute()

/**
 * Sends an activity's unsent invitations batch by batch, as the newsletter sends an issue: each is
 * marked sent as soon as the SMTP server accepted it; when the instance stops, the unsent rest is
 * released and the job fails on purpose, so pg-boss retries it here or on another instance.
 */
export async function deliverInvitations(ctx: OutreachContext, data: JobData): Promise<void> {
  const activityId = String(data.activity_id)
  const activity = await ctx.db.selectFrom('activities').selectAll().where('id', '=', activityId).where('deleted_at', 'is', null).executeTakeFirst()
  if (!activity) return
  const link = registrationLink(ctx.base, activityId)
  for (;;) {
    if (ctx.jobs.stopping()) throw new Error('stopping: the rest is left for the next sender')
    const batch = await claim(ctx, activityId)
    if (batch.length === 0) return
    let transient: unknown = null
    for (const inv of batch) {
      if (transient || ctx.jobs.stopping()) {
        await release(ctx, inv.id)
        continue
      }
      const t = translator(inv.lang)
      try {
        await ctx.mailer.send({
          kind: 'event-invitation',
          to: inv.email,
          subject: t('events.mail_subject_invitation', { title: activity.title }),
          text: t('events.mail_text_invitation', { title: activity.title, when: whenText(activity, t), where: whereText(activity, t), link }),
          messageId: `<invitation-${inv.id}@${mailDomain(ctx.mailer.from)}>`,
          links: [link],
        })
        await ctx.db.updateTable('event_invitations').set({ status: 'sent', sent_at: sql`now()`, error: null }).where('id', '=', inv.id).execute()
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode
        if (typeof code === 'number' && code >= 500) {
          await ctx.db.updateTable('event_invitations').set({ status: 'failed', error: `smtp ${code}` }).where('id', '=', inv.id).execute()
        } else {
          transient = err
          await release(ctx, inv.id)
        }
      }
    }
    if (transient) throw new Error('the mail server did not answer; retrying later')
  }
}

export async function invitationProgress(db: Executor, activityId: string) {
  const rows = await db.selectFrom('event_invitations').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity_id', '=', activityId).groupBy('status').execute()
  const out = { total: 0, sent: 0, pending: 0, failed: 0 }
  for (const r of rows) {
    const n = Number(r.n)
    out.total += n
    if (r.status === 'sent') out.sent += n
    else if (r.status === 'failed') out.failed += n
    else out.pending += n
  }
  return out
}
