import { sql } from 'kysely'
import { createActivity as activitySchema } from '../activities/activities.schema.ts'
import { createActivity } from '../activities/activities.service.ts'
import { inTransaction, updateRecord, type Executor } from '../db/write.ts'
import type { JobData } from '../jobs/jobs.ts'
import { formatDate } from '../web/format.ts'
import { translator } from '../web/i18n.ts'
import { issueMail } from './issue-mail.ts'
import type { OutreachContext } from './outreach-context.ts'
import { issueRecipients } from './recipients.ts'
import { newToken } from './tokens.ts'

export const PREPARE_JOB = 'newsletter-prepare'
export const DELIVER_JOB = 'newsletter-deliver'
/** Senders per issue: each claims recipients in batches, so instances share one send. */
const SENDERS = 2
const BATCH = 25
/** A recipient claimed this long ago by a sender that died is claimed again. */
const STALE_CLAIM = '10 minutes'
const SYSTEM = { userId: null }

/**
 * Freezes the recipients of an issue (one delivery row each, written before anything is sent)
 * and records the issue as a done `newsletter` activity dated `date`. Returns the activity's
 * id and the frozen recipients, or null when the issue is gone or already on its way.
 */
async function freezeIssue(tx: Executor, issueId: string, date: string): Promise<{ activityId: string; contactIds: string[] } | null> {
  const issue = await tx.selectFrom('newsletter_issues').selectAll().where('id', '=', issueId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
  if (!issue || issue.status === 'sent' || issue.status === 'sending') return null
  const activity = await createActivity(tx, activitySchema.parse({
    title: issue.subject, type: 'newsletter', status: 'done', start_date: date, theme_ids: issue.theme_ids,
  }), SYSTEM)
  await updateRecord(tx, 'newsletter_issues', issueId, issue.version, { status: 'sending', activity_id: activity.id }, SYSTEM)
  const recipients = await issueRecipients(tx, issue.list_ids, issue.segment_id)
  for (let i = 0; i < recipients.length; i += 1000) {
    await tx.insertInto('newsletter_deliveries')
      .values(recipients.slice(i, i + 1000).map((r) => ({ issue_id: issueId, contact_id: r.contact_id, email: r.email })))
      .onConflict((oc) => oc.columns(['issue_id', 'contact_id']).doNothing())
      .execute()
  }
  return { activityId: activity.id, contactIds: recipients.map((r) => r.contact_id) }
}

/** Freezes an issue's recipients and queues its senders. Running it twice changes nothing. */
export async function prepareIssue(ctx: OutreachContext, data: JobData): Promise<void> {
  const issueId = String(data.issue_id)
  await inTransaction(ctx.db, async (tx) => {
    if (!(await freezeIssue(tx, issueId, formatDate(new Date())))) return
    for (let n = 0; n < SENDERS; n++) await ctx.jobs.send(DELIVER_JOB, { issue_id: issueId }, { tx })
  })
}

/**
 * Records a draft issue as sent at `sentAt` without sending any mail (the demo's past issues):
 * the same records a real send leaves — the delivery rows marked sent, the done `newsletter`
 * activity with its recipients as `received` participants, the issue `sent` — so the archive,
 * the activity record and plan progress show it. Returns false when it was not a draft.
 */
export async function recordIssueSentWithoutMail(db: Executor, issueId: string, sentAt: Date): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const frozen = await freezeIssue(tx, issueId, formatDate(sentAt))
    if (!frozen) return false
    await tx.updateTable('newsletter_deliveries').set({ status: 'sent', sent_at: sentAt, attempts: 1 }).where('issue_id', '=', issueId).execute()
    await recordReceived(tx, frozen.activityId, frozen.contactIds)
    await tx.updateTable('newsletter_issues').set({ status: 'sent', sent_at: sentAt, updated_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', issueId).where('status', '=', 'sending').execute()
    return true
  })
}

/** Claims up to BATCH unsent recipients (skipping those another sender holds) and gives each a fresh token. */
async function claim(ctx: OutreachContext, issueId: string) {
  return inTransaction(ctx.db, async (tx) => {
    const rows = await tx.updateTable('newsletter_deliveries')
      .set({ status: 'sending', claimed_at: sql`now()`, attempts: sql`attempts + 1` })
      .where('id', 'in', (qb) => qb.selectFrom('newsletter_deliveries').select('id')
        .where('issue_id', '=', issueId)
        .where((eb) => eb.or([
          eb('status', '=', 'pending'),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', sql<Date>`now() - ${sql.lit(STALE_CLAIM)}::interval`)]),
        ]))
        .orderBy('id').limit(BATCH).forUpdate().skipLocked())
      .returning(['id', 'contact_id', 'email'])
      .execute()
    const claimed = rows.map((r) => ({ ...r, ...newToken() }))
    for (const r of claimed) await tx.updateTable('newsletter_deliveries').set({ token_hash: r.hash }).where('id', '=', r.id).execute()
    return claimed
  })
}

/**
 * The sent recipients become the activity's participants with attendance `received`: one insert
 * per batch and one audited, versioned change of the activity (the participants action reloads
 * every participant so far, which made a large send slow down as it grew).
 */
async function recordReceived(db: Executor, activityId: string, contactIds: string[]): Promise<void> {
  if (contactIds.length === 0) return
  await inTransaction(db, async (tx) => {
    const a = await tx.selectFrom('activities').select('version').where('id', '=', activityId).forUpdate().executeTakeFirstOrThrow()
    const added = await tx.insertInto('activity_participants')
      .columns(['activity_id', 'contact_id', 'role', 'attendance'])
      .expression((eb) => eb.selectFrom(sql<{ id: string }>`unnest(${sql.val(contactIds)}::uuid[])`.as('n'))
        .select([sql.val(activityId).as('activity_id'), sql<string>`n`.as('contact_id'), sql.lit('recipient').as('role'), sql.lit('received').as('attendance')])
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('activity_participants as p').select(sql`1`.as('one'))
          .where('p.activity_id', '=', activityId).whereRef('p.contact_id', '=', sql<string>`n`)))))
      .returning('id').execute()
    if (added.length) await updateRecord(tx, 'activities', activityId, a.version, {}, SYSTEM, { participants_received: [null, added.length] })
  })
}

function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode
  return typeof code === 'number' && code >= 500
}

/**
 * Sends an issue's unsent copies batch by batch. Each copy is marked sent right after the SMTP
 * server accepted it; when the instance stops, the unsent rest of the batch is released and the
 * job fails on purpose, so pg-boss retries it (here or on another instance).
 */
export async function deliverIssue(ctx: OutreachContext, data: JobData): Promise<void> {
  const issueId = String(data.issue_id)
  const issue = await ctx.db.selectFrom('newsletter_issues').selectAll().where('id', '=', issueId).executeTakeFirst()
  if (!issue || !issue.activity_id) return
  const footer = translator('sv')('newsletter.mail_footer')
  for (;;) {
    if (ctx.jobs.stopping()) throw new Error('stopping: the rest is left for the next sender')
    const batch = await claim(ctx, issueId)
    if (batch.length === 0) break
    const sent: string[] = []
    let transient: unknown = null
    for (const d of batch) {
      if (transient || ctx.jobs.stopping()) {
        await ctx.db.updateTable('newsletter_deliveries').set({ status: 'pending', claimed_at: null }).where('id', '=', d.id).execute()
        continue
      }
      try {
        await ctx.mailer.send(issueMail(ctx.mailer, ctx.base, issue, d, d.token, footer))
        await ctx.db.updateTable('newsletter_deliveries').set({ status: 'sent', sent_at: sql`now()`, error: null }).where('id', '=', d.id).execute()
        sent.push(d.contact_id)
      } catch (err) {
        if (isPermanent(err)) {
          const code = String((err as { responseCode?: number }).responseCode)
          await ctx.db.updateTable('newsletter_deliveries').set({ status: 'failed', error: `smtp ${code}` }).where('id', '=', d.id).execute()
        } else {
          transient = err
          await ctx.db.updateTable('newsletter_deliveries').set({ status: 'pending', claimed_at: null }).where('id', '=', d.id).execute()
        }
      }
    }
    await recordReceived(ctx.db, issue.activity_id, sent)
    if (transient) throw new Error('the mail server did not answer; retrying later')
  }
  await finishIfDone(ctx, issueId)
}

async function finishIfDone(ctx: OutreachContext, issueId: string): Promise<void> {
  const open = await ctx.db.selectFrom('newsletter_deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('issue_id', '=', issueId).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow()
  if (Number(open.n) > 0) return
  await ctx.db.updateTable('newsletter_issues').set({ status: 'sent', sent_at: sql`now()`, updated_at: sql`now()`, version: sql`version + 1` })
    .where('id', '=', issueId).where('status', '=', 'sending').execute()
}
