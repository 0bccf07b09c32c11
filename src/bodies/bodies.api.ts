import { listApi } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { bodyList } from './bodies.list.ts'
import { findBody } from './bodies.repo.ts'
import { createBody as createInput, updateBody as updateInput } from './bodies.schema.ts'
import { createBody, deleteBody, restoreBody, toApiBody, updateBody } from './bodies.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const bodiesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(bodyList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const body = await createBody(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/bodies/${body.id}`)
    return c.json(toApiBody(body), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const body = await findBody(c.get('db'), c.req.param('id'))
    if (!body) throw new NotFoundError()
    return c.json(toApiBody(body))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const body = await updateBody(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiBody(body))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteBody(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const body = await restoreBody(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiBody(body))
  })
