import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { User } from '../db/schema.ts'
import { editUserForm, listUsersQuery, newUserForm, ROLES } from '../users/users.schema.ts'
import { findUser, pageUsers } from '../users/users.repo.ts'
import { createUser, updateUser } from '../users/users.service.ts'
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam, validate } from '../web/validate.ts'

type FormState = { values: Record<string, string>; errors: Record<string, string>; stored?: User | undefined }

function showForm(c: Context<AppEnv>, user: User | null, state: FormState, status = 200) {
  const t = c.get('t')
  return render(c, 'admin/user-form', { title: t(user ? 'users.edit' : 'users.new'), target: user, roles: ROLES, ...state }, status)
}

function valuesOf(u: User): Record<string, string> {
  return { email: u.email, name: u.name, role: u.role, active: u.active ? 'on' : '', version: String(u.version) }
}

export const adminUsers = new Hono<AppEnv>()
  .get('/', requireRole('admin'), validate('query', listUsersQuery), async (c) => {
    const query = c.req.valid('query')
    const page = await pageUsers(c.get('db'), query)
    const view = isPartial(c) ? 'admin/_user-rows' : 'admin/users'
    return render(c, view, { title: c.get('t')('users.title'), page, query })
  })
  .get('/new', requireRole('admin'), (c) => showForm(c, null, { values: { role: 'viewer', active: 'on' }, errors: {} }))
  .post('/', requireRole('admin'), async (c) => {
    const t = c.get('t')
    const values = await formFields(c)
    const parsed = newUserForm.safeParse(values)
    if (!parsed.success) return showForm(c, null, { values, errors: fieldErrors(parsed.error, t) }, 422)
    try {
      await createUser(c.get('db'), parsed.data, { userId: c.get('user')!.id }, t)
    } catch (err) {
      if (err instanceof ValidationError) return showForm(c, null, { values, errors: err.fields }, 422)
      throw err
    }
    setFlash(c, 'users.created')
    return redirectAfterWrite(c, '/admin/users')
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('admin'), idParam, async (c) => {
    const user = await findUser(c.get('db'), c.req.param('id'))
    if (!user) throw new NotFoundError()
    return showForm(c, user, { values: valuesOf(user), errors: {} })
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('admin'), idParam, async (c) => {
    const t = c.get('t')
    const db = c.get('db')
    const user = await findUser(db, c.req.param('id'))
    if (!user) throw new NotFoundError()
    const values = await formFields(c)
    const parsed = editUserForm.safeParse(values)
    if (!parsed.success) return showForm(c, user, { values, errors: fieldErrors(parsed.error, t) }, 422)
    const { version, ...patch } = parsed.data
    try {
      await updateUser(db, user.id, version, patch, { userId: c.get('user')!.id }, t)
    } catch (err) {
      if (err instanceof ValidationError) return showForm(c, user, { values, errors: err.fields }, 422)
      // Keep what the user typed, show what is stored now, and let them save over it knowingly.
      if (err instanceof ConflictError) {
        const stored = await findUser(db, user.id)
        if (!stored) throw new NotFoundError()
        return showForm(c, stored, { values: { ...values, version: String(stored.version) }, errors: {}, stored }, 409)
      }
      throw err
    }
    setFlash(c, 'users.saved')
    return redirectAfterWrite(c, '/admin/users')
  })
