import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { findRelationship } from './relationships.repo.ts'
import { relationshipList } from './relationships.list.ts'
import { listApi } from '../web/list.ts'
import { createRelationship as createInput, updateRelationship as updateInput } from './relationships.schema.ts'
import { createRelationship, deleteRelationship, restoreRelationship, toApiRelationship, updateRelationship } from './relationships.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const relationshipsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(relationshipList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const r = await createRelationship(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/organisation-relationships/${r.id}`)
    return c.json(toApiRelationship(r), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const r = await findRelationship(c.get('db'), c.req.param('id'))
    if (!r) throw new NotFoundError()
    return c.json(toApiRelationship(r))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const r = await updateRelationship(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiRelationship(r))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteRelationship(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const r = await restoreRelationship(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiRelationship(r))
  })
