import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { csvResponse } from '../web/csv.ts'
import { idParam, validate } from '../web/validate.ts'
import { createUserInput, listUsersQuery, updateUserInput } from './users.schema.ts'
import { findUser, pageUsers } from './users.repo.ts'
import { createUser, deleteUser, restoreUser, toApiUser, updateUser } from './users.service.ts'

const CSV_FIELDS = ['id', 'email', 'name', 'role', 'active', 'last_login_at', 'version', 'created_at', 'updated_at'] as const

export const usersApi = new Hono<AppEnv>()
  .get('/', requireRole('admin'), validate('query', listUsersQuery), async (c) => {
    const query = c.req.valid('query')
    const page = await pageUsers(c.get('db'), query)
    const data = page.data.map(toApiUser)
    if (query.format === 'csv') return csvResponse(c, 'users.csv', [...CSV_FIELDS], data.map((u) => CSV_FIELDS.map((f) => u[f])))
    return c.json({ data, next_cursor: page.next_cursor })
  })
  .post('/', requireRole('admin'), validate('json', createUserInput), async (c) => {
    const user = await createUser(c.get('db'), c.req.valid('json'), { userId: c.get('user')!.id }, c.get('t'))
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
    const user = await updateUser(c.get('db'), c.req.param('id'), version, patch, { userId: c.get('user')!.id }, c.get('t'))
    return c.json(toApiUser(user))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, async (c) => {
    await deleteUser(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, c.get('t'))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const user = await restoreUser(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, c.get('t'))
    return c.json(toApiUser(user))
  })
