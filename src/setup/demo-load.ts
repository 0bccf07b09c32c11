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

/** A load still "running" that has said nothing for this long died with its instance. */
export const DEMO_SILENT_MS = 10 * 60_000

/**
 * The demo network loading in the background after /setup: the setup answer comes at once and the
 * progress page polls this. How far it has come is kept in the database (table demo_loads, one row),
 * not in the instance that took the setup: behind a load balancer the next poll may reach another
 * instance. An instance that dies mid-way leaves the row "running"; once it has been silent for
 * DEMO_SILENT_MS it reads as failed (the load is idempotent: `npm run seed:demo` finishes it).
 */
export async function currentDemoLoad(db: Db): Promise<DemoLoad | undefined> {
  const row = await db.selectFrom('demo_loads').select(['admin_id', 'step', 'percent', 'status', 'updated_at']).where('id', '=', 1).executeTakeFirst()
  if (!row) return undefined
  const silent = row.status === 'running' && Date.now() - new Date(row.updated_at).getTime() > DEMO_SILENT_MS
  return { adminId: row.admin_id ?? '', step: row.step as DemoLoad['step'], percent: row.percent, status: silent ? 'failed' : row.status as DemoLoad['status'] }
}

/** Starts loading the demo in the admin's name; returns once it is recorded as started. `done` resolves when it has ended (for tests). */
export async function startDemoLoad(db: Db, adminId: string, log: Logger): Promise<{ done: Promise<void> }> {
  const save = (state: Pick<DemoLoad, 'step' | 'percent' | 'status'>) =>
    db.insertInto('demo_loads').values({ id: 1, admin_id: adminId, ...state })
      .onConflict((oc) => oc.column('id').doUpdateSet({ admin_id: adminId, ...state, updated_at: new Date() })).execute()
  await save({ step: 'themes', percent: 0, status: 'running' })
  // Progress is written in order, one write at a time, and only when it has moved; the seed does not wait for it.
  let written = Promise.resolve()
  let last: Pick<DemoLoad, 'step' | 'percent' | 'status'> = { step: 'themes', percent: 0, status: 'running' }
  const write = (state: typeof last) => {
    if (state.step === last.step && state.percent === last.percent && state.status === last.status) return written
    last = state
    written = written.then(() => save(state)).then(() => {}, (err: unknown) => log.warn({ err: safeError(err) }, 'demo progress not saved'))
    return written
  }
  const done = seedDemo(db, {
    actor: { userId: adminId }, assigneeId: adminId,
    progress: (step, percent) => void write({ step, percent, status: 'running' }),
  }).then((result) => {
    log.info({ ...result.created, ms: result.ms }, 'demo network loaded')
    return write({ step: 'done', percent: 100, status: 'done' })
  }, (err: unknown) => {
    log.error({ err: safeError(err) }, 'demo network failed to load')
    return write({ ...last, status: 'failed' })
  })
  return { done }
}
