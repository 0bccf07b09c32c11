import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from '../db/connect.ts'
import type { Jobs } from '../jobs/jobs.ts'
import type { Mailer } from '../mail/mailer.ts'

/** What outreach's background jobs work with. */
export interface OutreachContext {
  db: Db
  config: Config
  mailer: Mailer
  jobs: Jobs
  log: Logger
  /** The origin of links in e-mails. */
  base: string
}
