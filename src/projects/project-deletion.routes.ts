import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { idParam } from '../web/validate.ts'
import { deleteProject, restoreProject } from './projects.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const projectDeletion = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version } = await formFields(c)
    await deleteProject(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    setFlash(c, 'record.deleted')
    return redirectAfterWrite(c, '/projects')
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const project = await restoreProject(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    setFlash(c, 'record.restored')
    return redirectAfterWrite(c, `/projects/${project.id}`)
  })
