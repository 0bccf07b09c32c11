import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { nullableText } from '../register/fields.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formatDate } from '../web/format.ts'
import { formFields } from '../web/form.ts'
import { isHtmx, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam } from '../web/validate.ts'
import { boardAlliances, findAlliance } from './alliances.repo.ts'
import { STATUSES } from './alliances.schema.ts'
import { changeStatus } from './alliances.service.ts'
import { commitmentState, reviewDue } from './commitments.ts'

const moveForm = z.object({
  status: z.enum(STATUSES),
  reason: nullableText(1000),
  version: z.coerce.number().int().positive(),
  from: z.enum(['board', 'detail']).default('board'),
})

interface Notice {
  key: 'alliance.moved' | 'alliance.move_conflict' | 'alliance.move_invalid'
  name: string
  status?: string
}

async function showBoard(c: Context<AppEnv>, opts: { notice?: Notice; moved?: string; status?: number } = {}) {
  const columns = await boardAlliances(c.get('db'))
  const day = formatDate(new Date())
  const data = { title: c.get('t')('alliance.board_title'), columns, statuses: STATUSES, today: day, commitmentState, reviewDue, ...opts }
  // htmx swaps the board in place (the notice goes out of band to the live region); a browser gets the page.
  return render(c, isHtmx(c) ? 'alliances/_board' : 'alliances/board', data, opts.status ?? 200)
}

/** The board by status, and the move of one card: by its small form (keyboard) or by dragging (static/js/board.js). */
export const allianceBoard = new Hono<AppEnv>()
  .get('/board', requireRole('viewer'), (c) => showBoard(c))
  .post('/:id{[0-9a-fA-F-]{36}}/status', requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    const t = c.get('t')
    const alliance = await findAlliance(db, c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    const parsed = moveForm.safeParse(await formFields(c))
    const from = parsed.success ? parsed.data.from : 'board'
    if (!parsed.success) {
      if (from === 'board' && isHtmx(c)) return showBoard(c, { notice: { key: 'alliance.move_invalid', name: alliance.name }, status: 422 })
      throw new ValidationError(fieldErrors(parsed.error, t))
    }
    const { status, reason, version } = parsed.data
    try {
      await changeStatus(db, alliance.id, version, status, reason, { userId: c.get('user')!.id })
    } catch (err) {
      if (!(err instanceof StaleVersionError)) throw err
      if (from === 'board' && isHtmx(c)) return showBoard(c, { notice: { key: 'alliance.move_conflict', name: alliance.name }, status: 409 })
      setFlash(c, 'alliance.move_conflict_flash')
      return redirectAfterWrite(c, from === 'detail' ? `/alliances/${alliance.id}` : '/alliances/board')
    }
    if (from === 'board' && isHtmx(c)) {
      return showBoard(c, { notice: { key: 'alliance.moved', name: alliance.name, status: t(`alliance.status.${status}`) }, moved: alliance.id })
    }
    setFlash(c, 'alliance.status_saved')
    return redirectAfterWrite(c, from === 'detail' ? `/alliances/${alliance.id}` : '/alliances/board')
  })
