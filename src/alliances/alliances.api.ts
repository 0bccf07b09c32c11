import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { formatDate } from '../web/format.ts'
import { idParam, validate } from '../web/validate.ts'
import { toApiAlliance } from './alliances.format.ts'
import { allianceList } from './alliances.list.ts'
import { findAlliance, statusHistory } from './alliances.repo.ts'
import { listApi } from '../web/list.ts'
import { createAlliance as createInput, statusChange, updateAlliance as updateInput } from './alliances.schema.ts'
import { changeStatus, createAlliance, deleteAlliance, restoreAlliance, updateAlliance } from './alliances.service.ts'
import { allianceHealth, healthInput } from './health.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })
const today = () => formatDate(new Date())

export const alliancesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(allianceList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const alliance = await createAlliance(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/alliances/${alliance.id}`)
    return c.json(toApiAlliance(alliance), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const alliance = await findAlliance(c.get('db'), c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    return c.json(toApiAlliance(alliance))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const alliance = await updateAlliance(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiAlliance(alliance))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteAlliance(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const alliance = await restoreAlliance(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiAlliance(alliance))
  })
  .post('/:id{[0-9a-fA-F-]{36}}/status', requireRole('editor'), idParam, validate('json', statusChange), async (c) => {
    const { status, reason, version } = c.req.valid('json')
    const alliance = await changeStatus(c.get('db'), c.req.param('id'), version, status, reason, actor(c))
    return c.json(toApiAlliance(alliance))
  })
  .get('/:id{[0-9a-fA-F-]{36}}/status-history', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    if (!(await findAlliance(db, c.req.param('id')))) throw new NotFoundError()
    const rows = await statusHistory(db, c.req.param('id'))
    return c.json({
      data: rows.map((r) => ({ from: r.from_status, to: r.to_status, at: r.at.toISOString(), user_id: r.user_id, user_name: r.user_name, reason: r.reason })),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/health', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const alliance = await findAlliance(db, c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    return c.json(allianceHealth(await healthInput(db, alliance, today())))
  })
