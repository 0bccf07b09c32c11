import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { isHtmx, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors } from '../web/validate.ts'
import { findAlliance } from './alliances.repo.ts'
import { COMMITMENT_STATUSES } from './alliances.schema.ts'
import { changeCommitmentStatus } from './alliances.service.ts'

const statusForm = z.object({
  status: z.enum(COMMITMENT_STATUSES),
  version: z.coerce.number().int().positive(),
  from: z.enum(['detail', 'dashboard']).default('detail'),
})

const UUID = '[0-9a-fA-F-]{36}'

/**
 * A commitment's status changed inline (htmx swaps the small form for the answer), from the alliance
 * page and the dashboard. A change made on a stale page is refused (409) with what is stored now,
 * the user's choice kept, so saving again is a knowing overwrite.
 */
export const commitmentStatus = new Hono<AppEnv>().post(`/:id{${UUID}}/commitments/:cid{${UUID}}/status`, requireRole('editor'), async (c) => {
  const db = c.get('db')
  const t = c.get('t')
  const [id, cid] = [c.req.param('id'), c.req.param('cid')]
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(cid).success) throw new NotFoundError()
  const parsed = statusForm.safeParse(await formFields(c))
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, t))
  const { status, version, from } = parsed.data
  const back = from === 'dashboard' ? '/' : `/alliances/${id}#commitment-${cid}`
  const show = (alliance: Awaited<ReturnType<typeof findAlliance>> & object, extra: { notice?: string; error?: string; chosen?: string; back?: string; title?: string }, code: 200 | 409) => {
    const commitment = alliance.commitments.find((k) => k.id === cid)
    if (!commitment) throw new NotFoundError()
    // Every other form on the page that carries this alliance's version follows (static/js/commitment-status.js).
    c.header('HX-Trigger', JSON.stringify({ 'alliance-version': { id: alliance.id, version: alliance.version } }))
    return render(c, 'alliances/_commitment-status', { commitment, version: alliance.version, from, statuses: COMMITMENT_STATUSES, ...extra }, code)
  }
  try {
    const saved = await changeCommitmentStatus(db, id, cid, version, status, { userId: c.get('user')!.id })
    if (isHtmx(c)) return show(saved, { notice: t('alliance.commitment_status_saved', { status: t(`alliance.commitment.${status}`) }) }, 200)
    setFlash(c, 'alliance.commitment_status_saved_flash')
    return redirectAfterWrite(c, back)
  } catch (err) {
    if (!(err instanceof StaleVersionError)) throw err
    const stored = await findAlliance(db, id)
    const now = stored?.commitments.find((k) => k.id === cid)
    if (!stored || !now) throw new NotFoundError()
    const error = t('alliance.commitment_status_conflict', { status: t(`alliance.commitment.${now.status}`) })
    // Without script the same form comes back as a page of its own, with the way back.
    return show(stored, { error, chosen: status, ...(isHtmx(c) ? {} : { back, title: t('alliance.commitment_status') }) }, 409)
  }
})
