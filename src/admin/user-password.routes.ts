import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { resetPasswordForm } from '../users/users.schema.ts'
import { findUser } from '../users/users.repo.ts'
import { updateUser } from '../users/users.service.ts'
import { StaleVersionError, NotFoundError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam } from '../web/validate.ts'

/** An administrator sets a new password for someone; their sessions end with it. */
export const adminUserPassword = new Hono<AppEnv>().post('/:id{[0-9a-fA-F-]{36}}/password', requireRole('admin'), idParam, async (c) => {
  const t = c.get('t')
  const db = c.get('db')
  const user = await findUser(db, c.req.param('id'))
  if (!user) throw new NotFoundError()
  const values = await formFields(c)
  const parsed = resetPasswordForm.safeParse(values)
  const formValues = { email: user.email, name: user.name, role: user.role, active: user.active ? 'on' : '', version: String(user.version) }
  if (!parsed.success) {
    return render(c, 'admin/user-form', {
      title: t('users.edit'), target: user, roles: ['admin', 'editor', 'viewer'], values: formValues,
      errors: {}, passwordErrors: fieldErrors(parsed.error, t),
    }, 422)
  }
  try {
    await updateUser(db, user.id, parsed.data.version, { password: parsed.data.password }, { userId: c.get('user')!.id })
  } catch (err) {
    if (!(err instanceof StaleVersionError)) throw err
    const stored = (await findUser(db, user.id))!
    return render(c, 'admin/user-form', {
      title: t('users.edit'), target: stored, roles: ['admin', 'editor', 'viewer'],
      values: { ...formValues, version: String(stored.version) }, errors: {}, stored,
    }, 409)
  }
  setFlash(c, 'users.password_reset')
  return redirectAfterWrite(c, '/admin/users')
})
