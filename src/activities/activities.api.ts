import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { activitiesCsv, toApiActivity } from './activities.format.ts'
import { findActivity, pageActivities } from './activities.repo.ts'
import { createActivity as createInput, listActivitiesQuery, participantsChange, updateActivity as updateInput } from './activities.schema.ts'
import { changeParticipants, createActivity, deleteActivity, editOf, restoreActivity, updateActivity } from './activities.service.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

export const activitiesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listActivitiesQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      // An export is of the whole filtered list, not of one page.
      const rows = await allPages((cursor) => pageActivities(c.get('db'), { ...query, cursor, limit: 1000 }))
      const { header, rows: cells } = activitiesCsv(rows)
      return csvResponse(c, 'activities.csv', header, cells)
    }
    const page = await pageActivities(c.get('db'), query)
    return c.json({ data: page.data.map(toApiActivity), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const activity = await createActivity(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
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
    const activity = await updateActivity(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
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
    const result = await changeParticipants(c.get('db'), c.req.param('id'), change.version, editOf(change), actor(c), c.get('t'))
    return c.json({
      ...toApiActivity(result.activity),
      summary: { added: result.added, removed: result.removed, changed: result.changed, already: result.already },
    })
  })
