import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { setFlash } from '../web/flash.ts'
import { formatDate } from '../web/format.ts'
import { formFields } from '../web/form.ts'
import { isHtmx, redirectAfterWrite } from '../web/htmx.ts'
import { renderFragment } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { followUpItems } from './follow-ups.ts'
import { deleteInteraction, markFollowUpDone, restoreInteraction } from './interactions.service.ts'
import { redirectTo } from '../web/redirect.ts'

/** Delete (editor), restore (admin) and "mark the follow-up done" (editor, from any list). */
export const interactionActions = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version } = await formFields(c)
    await deleteInteraction(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    setFlash(c, 'record.deleted')
    return redirectAfterWrite(c, '/interactions')
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const i = await restoreInteraction(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    setFlash(c, 'record.restored')
    return redirectAfterWrite(c, `/interactions/${i.id}`)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/done', requireRole('editor'), idParam, async (c) => {
    const { back, version } = await formFields(c)
    const db = c.get('db')
    const i = await markFollowUpDone(db, c.req.param('id'), { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    if (isHtmx(c)) {
      // htmx swaps the row it came from for this one, now showing "done".
      const [item] = await followUpItems(db, [i])
      c.header('Vary', 'HX-Request', { append: true })
      return c.html(renderFragment(c, 'interactions/_follow-up', { item, today: formatDate(new Date()), back: back ?? '' }))
    }
    setFlash(c, 'interaction.marked_done')
    return redirectTo(c, back ?? '', 303, `/interactions/${i.id}`)
  })
