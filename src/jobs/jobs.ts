import type { Transaction } from 'kysely'
import { fromKysely, fromPglite, PgBoss, type Queue } from 'pg-boss'
import type { Logger } from 'pino'
import type { DbHandle } from '../db/connect.ts'
import type { Database } from '../db/schema.ts'

/**
 * Durable background jobs: pg-boss on both engines. On PostgreSQL it keeps its own small pool and
 * claims jobs with `for update skip locked`, so several app instances share one queue and each job
 * runs once; on the embedded engine it runs over the same PGlite instance (pg-boss's own adapter),
 * with the same tables (schema `pgboss`). Job data carries ids only — never an address or a token:
 * the queue keeps finished jobs for a while and is readable on the admin page.
 */
export type JobData = Record<string, string | number | boolean | null>
export type JobHandler = (data: JobData, job: { id: string; retryCount: number }) => Promise<void>

export interface JobDefinition {
  name: string
  handler: JobHandler
  options?: Omit<Queue, 'name'>
}

export interface Jobs {
  boss: PgBoss
  /** Queues a job; inside a transaction it is queued only if the transaction commits. */
  send(name: string, data: JobData, options?: { tx?: Transaction<Database>; startAfter?: Date; singletonKey?: string }): Promise<string | null>
  /** True once stop() began: long handlers leave their remaining work for the next instance. */
  stopping(): boolean
  stop(): Promise<void>
  work(): Promise<void>
  names: string[]
}

export async function startJobs(handle: Pick<DbHandle, 'engine' | 'pglite' | 'url'>, definitions: JobDefinition[], log: Logger): Promise<Jobs> {
  const boss = handle.pglite
    ? new PgBoss({ db: fromPglite(handle.pglite), backend: 'pglite' })
    : new PgBoss({ connectionString: handle.url!, max: 4 })
  // Details of a queue error can hold SQL parameters: the log gets the message only.
  boss.on('error', (err: Error) => log.warn({ err: { message: err.message } }, 'job queue error'))
  await boss.start()
  for (const d of definitions) {
    await boss.createQueue(d.name, { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 600, ...d.options })
  }
  let stopping = false
  return {
    /** Starts taking jobs from the queues (an instance may also only queue them). */
    async work() {
      for (const d of definitions) {
        await boss.work(d.name, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
          if (!job) return
          await d.handler(job.data as JobData, { id: job.id, retryCount: (job as { retryCount?: number }).retryCount ?? 0 })
        })
      }
    },
    boss,
    names: definitions.map((d) => d.name),
    async send(name, data, options = {}) {
      const { tx, ...rest } = options
      return boss.send(name, data, { ...rest, ...(tx ? { db: fromKysely(tx) } : {}) })
    },
    stopping: () => stopping,
    async stop() {
      stopping = true
      await boss.stop({ graceful: true, timeout: 15_000 })
    },
  }
}
