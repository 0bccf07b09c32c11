import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { verifyPassword } from '../auth/password.ts'
import { createSession } from '../auth/sessions.ts'
import { setSessionCookie } from '../auth/session-cookie.ts'
import { password } from '../users/users.schema.ts'
import { findUser } from '../users/users.repo.ts'
import { updateUser } from '../users/users.service.ts'
import { NotFoundError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors } from '../web/validate.ts'

const changePasswordForm = z.object({ current_password: z.string().min(1).max(1024), password })

export const account = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), (c) => render(c, 'account/account', { title: c.get('t')('account.title'), errors: {} }))
  .post('/password', requireRole('viewer'), async (c) => {
    const t = c.get('t')
    const db = c.get('db')
    const user = await findUser(db, c.get('user')!.id)
    if (!user) throw new NotFoundError()
    const parsed = changePasswordForm.safeParse(await formFields(c))
    if (!parsed.success) return render(c, 'account/account', { title: t('account.title'), errors: fieldErrors(parsed.error, t) }, 422)
    if (!(await verifyPassword(user.password_hash, parsed.data.current_password))) {
      return render(c, 'account/account', { title: t('account.title'), errors: { current_password: t('account.wrong_password') } }, 422)
    }
    // Every session ends with the old password, this one included; the browser gets a new one.
    await updateUser(db, user.id, user.version, { password: parsed.data.password }, { userId: user.id })
    const { token, expiresAt } = await createSession(db, user.id, 'browser')
    setSessionCookie(c, token, expiresAt)
    setFlash(c, 'account.password_changed')
    return redirectAfterWrite(c, '/account')
  })
