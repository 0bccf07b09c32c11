import { listApi } from '../web/list.ts'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { formatDate } from '../web/format.ts'
import { sharedJson } from '../web/shared-json.ts'
import { idParam, validate } from '../web/validate.ts'
import { toApiPlan } from './plans.format.ts'
import { planList } from './plans.list.ts'
import { createPlan as createInput, updatePlan as updateInput } from './plans.schema.ts'
import { createPlan, deletePlan, findPlan, progressOf, restorePlan, updatePlan } from './plans.service.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })
const today = () => formatDate(new Date())

export const plansApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(planList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const plan = await createPlan(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/plans/${plan.id}`)
    return c.json(toApiPlan(plan), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const plan = await findPlan(c.get('db'), c.req.param('id'))
    if (!plan) throw new NotFoundError()
    return c.json(toApiPlan(plan))
  })
  .get('/:id{[0-9a-fA-F-]{36}}/progress', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const plan = await findPlan(db, c.req.param('id'))
    if (!plan) throw new NotFoundError()
    const { progress } = await progressOf(db, plan, today())
    // The same object for every reader until a write: written out once (src/web/shared-json.ts).
    return sharedJson(c, progress, () => {
      const { targets: _targets, ...contract } = progress
      return contract
    })
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const plan = await updatePlan(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiPlan(plan))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deletePlan(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const plan = await restorePlan(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiPlan(plan))
  })
