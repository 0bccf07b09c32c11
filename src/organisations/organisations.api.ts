import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { listApi } from '../web/list.ts'
import { idParam, validate } from '../web/validate.ts'
import { organisationList } from './organisations.list.ts'
import { createOrganisation as createInput, updateOrganisation as updateInput } from './organisations.schema.ts'
import { findOrganisation } from './organisations.repo.ts'
import {
  createOrganisation, deleteOrganisation, restoreOrganisation, toApiOrganisation, updateOrganisation,
} from './organisations.service.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

export const organisationsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(organisationList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const o = await createOrganisation(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/organisations/${o.id}`)
    return c.json(toApiOrganisation(o), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const o = await findOrganisation(c.get('db'), c.req.param('id'))
    if (!o) throw new NotFoundError()
    return c.json(toApiOrganisation(o))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const o = await updateOrganisation(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiOrganisation(o))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteOrganisation(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const o = await restoreOrganisation(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiOrganisation(o))
  })
