import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { User } from '../db/schema.ts'
import { editUserForm, newUserForm, ROLES } from '../users/users.schema.ts'
import { findUser } from '../users/users.repo.ts'
import { userList } from '../users/users.list.ts'
import { readList } from '../web/list.ts'
import { createUser, updateUser } from '../users/users.service.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formFields } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'

type FormState = { values: Record<string, string>; errors: Record<string, string>; stored?: User | undefined }

function showForm(c: Context<AppEnv>, user: User | null, state: FormState, status = 200) {
  const t = c.get('t')
  return render(c, 'admin/user-form', { title: t(user ? 'users.edit' : 'users.new'), target: user, roles: ROLES, ...state }, status)
}

function valuesOf(u: User): Record<string, string> {
  return { email: u.email, name: u.name, role: u.role, active: u.active ? 'on' : '', version: String(u.version) }
}

const USER_FLASH = { created: 'users.created', saved: 'users.saved' } as const

export const adminUsers = new Hono<AppEnv>()
  .get('/', requireRole('admin'), async (c) => {
    const list = readList(c, userList)
    const view = isPartial(c) ? 'admin/_user-rows' : 'admin/users'
    return render(c, view, { title: c.get('t')('users.title'), page: await list.page(), query: list.query, list: list.links })
  })
  .get('/new', requireRole('admin'), (c) => showForm(c, null, { values: { role: 'viewer', active: 'on' }, errors: {} }))
  .post('/', requireRole('admin'), async (c) => {
    const values = await formFields(c)
    return saveForm(c, {
      record: null as User | null, values, parsed: newUserForm.safeParse(values), flash: USER_FLASH,
      write: (data) => createUser(c.get('db'), data, { userId: c.get('user')!.id }),
      show: (user, values, errors, status) => showForm(c, user, { values, errors }, status),
      done: () => redirectAfterWrite(c, '/admin/users'),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('admin'), idParam, async (c) => {
    const user = await findUser(c.get('db'), c.req.param('id'))
    if (!user) throw new NotFoundError()
    return showForm(c, user, { values: valuesOf(user), errors: {} })
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, async (c) => {
    const db = c.get('db')
    const user = await findUser(db, c.req.param('id'))
    if (!user) throw new NotFoundError()
    const values = await formFields(c)
    return saveForm(c, {
      record: user, values, parsed: editUserForm.safeParse(values), flash: USER_FLASH,
      write: ({ version, ...patch }) => updateUser(db, user.id, version, patch, { userId: c.get('user')!.id }),
      reload: (stored) => findUser(db, stored.id),
      show: (user, values, errors, status, stored) => showForm(c, user, { values, errors, stored }, status),
      done: () => redirectAfterWrite(c, '/admin/users'),
    })
  })
