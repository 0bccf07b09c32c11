import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { idParam } from '../web/validate.ts'
import { showTheme } from './themes.routes.ts'
import { deleteTheme, restoreTheme, ThemeHasChildrenError } from './themes.service.ts'

/** Soft delete by an editor (never of a theme with live sub-themes); restore by an admin. */
export const themeDeletion = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version } = await formFields(c)
    const id = c.req.param('id')
    try {
      await deleteTheme(c.get('db'), id, { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    } catch (err) {
      if (err instanceof ThemeHasChildrenError) return showTheme(c, id, c.get('t')('theme.has_children'), 409)
      throw err
    }
    setFlash(c, 'record.deleted')
    return redirectAfterWrite(c, '/themes')
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const th = await restoreTheme(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, c.get('t'))
    setFlash(c, 'record.restored')
    return redirectAfterWrite(c, `/themes/${th.id}`)
  })
