import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { idParam } from '../web/validate.ts'
import { deleteActivity, restoreActivity } from './activities.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const activityDeletion = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version } = await formFields(c)
    await deleteActivity(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    setFlash(c, 'record.deleted')
    return redirectAfterWrite(c, '/activities')
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const activity = await restoreActivity(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    setFlash(c, 'record.restored')
    return redirectAfterWrite(c, `/activities/${activity.id}`)
  })
