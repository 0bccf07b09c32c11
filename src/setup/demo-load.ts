import type { Logger } from 'pino'
import type { Db } from '../db/connect.ts'
import { safeError } from '../log.ts'
import { seedDemo, type DemoStep } from '../seed/demo-seed.ts'

export interface DemoLoad {
  adminId: string
  step: DemoStep | 'done'
  percent: number
  status: 'running' | 'done' | 'failed'
}

/**
 * The demo network loading in the background after /setup, one per database (so per app): the
 * setup answer comes at once and the progress page polls this. It lives in the instance that
 * took the setup; the load itself is idempotent, so a restart mid-way is finished by
 * `npm run seed:demo`.
 */
const loads = new WeakMap<Db, DemoLoad>()

export function currentDemoLoad(db: Db): DemoLoad | undefined {
  return loads.get(db)
}

/** Starts loading the demo in the admin's name; returns at once. Resolves `done` for tests. */
export function startDemoLoad(db: Db, adminId: string, log: Logger): { done: Promise<void> } {
  const load: DemoLoad = { adminId, step: 'themes', percent: 0, status: 'running' }
  loads.set(db, load)
  const done = seedDemo(db, {
    actor: { userId: adminId }, assigneeId: adminId,
    progress: (step, percent) => Object.assign(load, { step, percent }),
  }).then((result) => {
    log.info({ ...result.created, ms: result.ms }, 'demo network loaded')
    Object.assign(load, { step: 'done', percent: 100, status: 'done' })
  }, (err: unknown) => {
    log.error({ err: safeError(err) }, 'demo network failed to load')
    load.status = 'failed'
  })
  return { done }
}
