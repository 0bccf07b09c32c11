import { listApi } from '../web/list.ts'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { toApiActivity } from './activities.format.ts'
import { activityList } from './activities.list.ts'
import { findActivity } from './activities.repo.ts'
import { createActivity as createInput, participantsChange, updateActivity as updateInput } from './activities.schema.ts'
import { changeParticipants, createActivity, deleteActivity, editOf, restoreActivity, updateActivity } from './activities.service.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

export const activitiesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(activityList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const activity = await createActivity(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/activities/${activity.id}`)
    return c.json(toApiActivity(activity), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const activity = await findActivity(c.get('db'), c.req.param('id'))
    if (!activity) throw new NotFoundError()
    return c.json(toApiActivity(activity))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const activity = await updateActivity(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiActivity(activity))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteActivity(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const activity = await restoreActivity(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiActivity(activity))
  })
  // Many participants at once: add, remove, mark attendance; one version check, one audit row.
  .post('/:id{[0-9a-fA-F-]{36}}/participants', requireRole('editor'), idParam, validate('json', participantsChange), async (c) => {
    const change = c.req.valid('json')
    const result = await changeParticipants(c.get('db'), c.req.param('id'), change.version, editOf(change), actor(c))
    return c.json({
      ...toApiActivity(result.activity),
      summary: { added: result.added, removed: result.removed, changed: result.changed, already: result.already },
    })
  })
