import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { createUserInput, updateUserInput } from './users.schema.ts'
import { findUser } from './users.repo.ts'
import { userList } from './users.list.ts'
import { listApi } from '../web/list.ts'
import { createUser, deleteUser, restoreUser, toApiUser, updateUser } from './users.service.ts'

export const usersApi = new Hono<AppEnv>()
  .get('/', requireRole('admin'), listApi(userList))
  .post('/', requireRole('admin'), validate('json', createUserInput), async (c) => {
    const user = await createUser(c.get('db'), c.req.valid('json'), { userId: c.get('user')!.id })
    c.header('Location', `/api/v1/users/${user.id}`)
    return c.json(toApiUser(user), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, async (c) => {
    const user = await findUser(c.get('db'), c.req.param('id'))
    if (!user) throw new NotFoundError()
    return c.json(toApiUser(user))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, validate('json', updateUserInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const user = await updateUser(c.get('db'), c.req.param('id'), version, patch, { userId: c.get('user')!.id })
    return c.json(toApiUser(user))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, async (c) => {
    await deleteUser(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const user = await restoreUser(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    return c.json(toApiUser(user))
  })
