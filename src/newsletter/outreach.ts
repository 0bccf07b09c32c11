import type { Logger } from 'pino'
import { DEFAULT_MAIL, type Config } from '../config.ts'
import type { DbHandle } from '../db/connect.ts'
import { eventJobs } from '../events/jobs.ts'
import { startJobs, type Jobs } from '../jobs/jobs.ts'
import type { BouncePolling } from './bounce-mailbox.ts'
import { createMailer, type Mailer } from '../mail/mailer.ts'
import { sendConfirmation } from './confirm-mail.job.ts'
import { publicBase } from './links.ts'
import type { OutreachContext } from './outreach-context.ts'
import { deliverIssue, DELIVER_JOB, prepareIssue, PREPARE_JOB } from './send.job.ts'
import { CONFIRM_JOB } from './subscribe.service.ts'

export interface Outreach {
  jobs: Jobs
  mailer: Mailer
  /** The origin of links in e-mails. */
  readonly base: string
  /** Polling BOUNCE_IMAP_URL, once jobs are taken (unset: undefined). */
  readonly bounces: BouncePolling | undefined
  /** Once the server listens: links can name its port (without PUBLIC_URL), and jobs are taken. */
  listening(port: number): Promise<void>
  stop(): Promise<void>
}

/**
 * The mailer and the job queue with outreach's jobs. `work: false` only queues until
 * listening() is called (the server starts the queue before it listens, and works once it does).
 */
export async function startOutreach(handle: DbHandle, config: Config, log: Logger, opts: { work?: boolean } = {}): Promise<Outreach> {
  const mailer = createMailer(config.mail ?? DEFAULT_MAIL, log)
  const base = publicBase(config)
  const ctx = { db: handle.db, config, mailer, log, base } as OutreachContext
  const jobs = await startJobs(handle, [
    { name: CONFIRM_JOB, handler: (d) => sendConfirmation(ctx, d) },
    { name: PREPARE_JOB, handler: (d) => prepareIssue(ctx, d) },
    // A sender that stops mid-issue fails on purpose and is retried: many retries, short delay.
    { name: DELIVER_JOB, handler: (d) => deliverIssue(ctx, d), options: { retryLimit: 100, retryDelay: 2, retryBackoff: false } },
    // Event registration mails and invitations (src/events).
    ...eventJobs(ctx),
  ], log)
  ctx.jobs = jobs
  const mail = config.mail ?? DEFAULT_MAIL
  let bounces: BouncePolling | undefined
  // Every instance polls (a message read twice still counts once); the IMAP client loads only if used.
  const work = async () => {
    await jobs.work()
    if (mail.bounceImapUrl && !bounces) {
      const { startBouncePolling } = await import('./bounce-mailbox.ts')
      bounces = startBouncePolling(handle.db, { url: mail.bounceImapUrl, intervalSeconds: mail.bounceImapIntervalSeconds ?? 300, holdAfter: mail.holdAfter }, log)
    }
  }
  if (opts.work !== false) await work()
  let stopped: Promise<void> | undefined
  return {
    jobs, mailer,
    get base() {
      return ctx.base
    },
    get bounces() {
      return bounces
    },
    async listening(port: number) {
      ctx.base = publicBase({ ...config, port })
      await work()
    },
    stop: () => (stopped ??= (async () => {
      await bounces?.stop()
      await jobs.stop()
      mailer.close()
    })()),
  }
}
