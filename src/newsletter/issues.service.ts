import { createRecord, inTransaction, updateRecord, type Actor, type Executor } from '../db/write.ts'
import type { NewsletterIssuesTable } from '../db/schema.ts'
import type { Selectable } from 'kysely'
import type { Jobs } from '../jobs/jobs.ts'
import type { Mailer } from '../mail/mailer.ts'
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import { issueMail } from './issue-mail.ts'
import { findSegment } from '../segments/segments.service.ts'
import type { IssueInput } from './issues.schema.ts'
import { PREPARE_JOB } from './send.job.ts'
import { newToken } from './tokens.ts'

export type Issue = Selectable<NewsletterIssuesTable>

export function toApiIssue(i: Issue) {
  return {
    id: i.id, version: i.version, subject: i.subject, body: i.body, list_ids: i.list_ids, theme_ids: i.theme_ids,
    segment_id: i.segment_id, status: i.status, scheduled_at: i.scheduled_at?.toISOString() ?? null, sent_at: i.sent_at?.toISOString() ?? null,
    activity_id: i.activity_id, created_at: i.created_at.toISOString(), updated_at: i.updated_at.toISOString(),
  }
}

async function checkLists(db: Executor, ids: string[]) {
  if (ids.length === 0) return
  const found = await db.selectFrom('newsletter_lists').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute()
  if (found.length !== new Set(ids).size) throw new ValidationError({ list_ids: 'validation.unknown_reference' })
}

export async function createIssue(db: Executor, input: IssueInput, actor: Actor): Promise<Issue> {
  return inTransaction(db, async (tx) => {
    await checkLists(tx, input.list_ids)
    if (input.segment_id && !(await findSegment(tx, input.segment_id))) throw new ValidationError({ segment_id: 'validation.unknown_reference' })
    return createRecord(tx, 'newsletter_issues', { ...input, list_ids: [...new Set(input.list_ids)] }, actor)
  })
}

export async function findIssue(db: Executor, id: string): Promise<Issue | undefined> {
  return db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
}

/** Queues the send (now or at `scheduledAt`) in the same transaction that marks the issue scheduled. */
export async function scheduleIssue(db: Executor, jobs: Jobs, id: string, actor: Actor, scheduledAt?: Date): Promise<Issue> {
  return inTransaction(db, async (tx) => {
    const issue = await tx.selectFrom('newsletter_issues').selectAll().where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
    if (!issue) throw new NotFoundError()
    if (issue.status !== 'draft') throw new ConflictError(toApiIssue(issue), 'newsletter.not_draft')
    const after = await updateRecord(tx, 'newsletter_issues', id, issue.version, { status: 'scheduled', scheduled_at: scheduledAt ?? new Date() }, actor)
    await jobs.send(PREPARE_JOB, { issue_id: id }, { tx, startAfter: scheduledAt, singletonKey: id })
    return after
  })
}

/** A test copy to one address (the sender's own): not recorded, its links lead nowhere. */
export async function sendTestCopy(mailer: Mailer, base: string, issue: Issue, to: string, footer: string): Promise<void> {
  const mail = issueMail(mailer, base, issue, { id: `test-${crypto.randomUUID()}`, email: to }, newToken().token, footer)
  await mailer.send({ ...mail, subject: `[TEST] ${issue.subject}`, kind: 'newsletter-test' })
}
