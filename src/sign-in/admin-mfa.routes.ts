import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { invalidateUserSessions } from '../auth/sessions.ts'
import { inTransaction, updateRecord } from '../db/write.ts'
import { ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { idParam } from '../web/validate.ts'
import { deleteRecoveryCodes } from './recovery-codes.ts'

const resetForm = z.object({ version: z.coerce.number().int().positive() })

/**
 * An administrator removes someone's second factor (a lost phone and lost recovery codes):
 * their sessions end, and they set it up again at their next sign-in if their role needs it.
 */
export const adminMfaReset = new Hono<AppEnv>().post('/:id{[0-9a-fA-F-]{36}}/mfa/reset', requireRole('admin'), idParam, async (c) => {
  const parsed = resetForm.safeParse(await formFields(c))
  if (!parsed.success) throw new ValidationError({ version: c.get('t')('validation.invalid') })
  const id = c.req.param('id')
  await inTransaction(c.get('db'), async (tx) => {
    const patch = { totp_key: null, totp_pending_key: null, totp_enabled_at: null, totp_last_step: null }
    await updateRecord(tx, 'users', id, parsed.data.version, patch, { userId: c.get('user')!.id })
    await deleteRecoveryCodes(tx, id)
    await invalidateUserSessions(tx, id)
  })
  setFlash(c, 'mfa.reset_done')
  return redirectAfterWrite(c, `/admin/users/${id}/edit`)
})
