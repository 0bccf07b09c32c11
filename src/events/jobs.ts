import type { JobDefinition } from '../jobs/jobs.ts'
import type { OutreachContext } from '../newsletter/outreach-context.ts'
import { sendRegistrationMail } from './event-mail.ts'
import { deliverInvitations, INVITE_JOB } from './invitations.ts'
import { MAIL_JOB } from './registration.service.ts'

/** Event registration's background jobs, on outreach's queue and mailer. */
export function eventJobs(ctx: OutreachContext): JobDefinition[] {
  return [
    { name: MAIL_JOB, handler: (d) => sendRegistrationMail(ctx, d) },
    // A sender that stops mid-invitation fails on purpose and is retried: many retries, short delay.
    { name: INVITE_JOB, handler: (d) => deliverInvitations(ctx, d), options: { retryLimit: 100, retryDelay: 2, retryBackoff: false } },
  ]
}
