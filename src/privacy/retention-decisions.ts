import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Executor } from '../db/write.ts'
import { createRecord } from '../db/write.ts'
import { isoDate, nullableText, requiredText } from '../register/fields.ts'
import { validate } from '../web/validate.ts'
import type { RetentionDecisionsTable } from '../db/schema.ts'
import type { Selectable } from 'kysely'

export type RetentionDecision = Selectable<RetentionDecisionsTable>

export const decisionInput = z.strictObject({
  reference: requiredText(100),
  title: requiredText(300),
  decided_on: isoDate,
  covers: nullableText(5000),
  retention_period: nullableText(300),
})

export function toApiDecision(d: RetentionDecision) {
  return {
    id: d.id, reference: d.reference, title: d.title, decided_on: d.decided_on, covers: d.covers, retention_period: d.retention_period,
    version: d.version, created_at: d.created_at.toISOString(), updated_at: d.updated_at.toISOString(),
  }
}

/** Culling decisions (gallringsbeslut) in force: newest first. */
export async function listDecisions(db: Executor): Promise<RetentionDecision[]> {
  return db.selectFrom('retention_decisions').selectAll().where('deleted_at', 'is', null).orderBy('decided_on', 'desc').orderBy('id').execute()
}

export async function findDecision(db: Executor, id: string): Promise<RetentionDecision | undefined> {
  return db.selectFrom('retention_decisions').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
}

/** `/api/v1/retention/decisions`: read by admins, registered by admins. */
export const retentionDecisionsApi = new Hono<AppEnv>()
  .get('/decisions', requireRole('admin'), async (c) => c.json({ data: (await listDecisions(c.get('db'))).map(toApiDecision), next_cursor: null }))
  .post('/decisions', requireRole('admin'), validate('json', decisionInput), async (c) => {
    const d = await createRecord(c.get('db'), 'retention_decisions', c.req.valid('json'), { userId: c.get('user')!.id })
    c.header('Location', `/api/v1/retention/decisions/${d.id}`)
    return c.json(toApiDecision(d), 201)
  })
