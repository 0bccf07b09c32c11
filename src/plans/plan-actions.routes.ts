import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { createActivity as activityInput } from '../activities/activities.schema.ts'
import { createActivity } from '../activities/activities.service.ts'
import { requireRole } from '../auth/roles.ts'
import { StaleVersionError, NotFoundError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formatDate } from '../web/format.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { idParam, parseOrThrow } from '../web/validate.ts'
import { planProgress } from './plan-progress.ts'
import { deletePlan, findPlan, restorePlan, updatePlan } from './plans.service.ts'

const statusForm = z.strictObject({ status: z.enum(['active', 'closed']), version: z.coerce.number().int().positive() })
/** The activities service takes at most this many participants at once. */
const MAX_PARTICIPANTS = 5000

/** Closing or reopening a plan, deleting and restoring it, and planning an activity for those not yet reached. */
export const planActions = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/status', requireRole('editor'), idParam, async (c) => {
    const { status, version } = parseOrThrow(c, statusForm, await formFields(c))
    const actor = { userId: c.get('user')!.id }
    try {
      await updatePlan(c.get('db'), c.req.param('id'), version, { status }, actor)
      setFlash(c, status === 'closed' ? 'plan.closed' : 'plan.reopened')
    } catch (err) {
      if (!(err instanceof StaleVersionError)) throw err
      setFlash(c, 'error.conflict')
    }
    return redirectAfterWrite(c, `/plans/${c.req.param('id')}`)
  })
  // For more not-yet-reached than a link can carry: a planned activity with them as invited
  // participants, made through the activities service, then opened for editing.
  .post('/:id{[0-9a-fA-F-]{36}}/plan-activity', requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    const t = c.get('t')
    const plan = await findPlan(db, c.req.param('id'))
    if (!plan) throw new NotFoundError()
    const { not_reached } = await planProgress(db, plan.id, formatDate(new Date()))
    const participants = not_reached.slice(0, MAX_PARTICIPANTS).map((r) =>
      r.type === 'contact' ? { contact_id: r.id, role: 'participant', attendance: 'invited' } : { organisation_id: r.id, role: 'participant', attendance: 'invited' },
    )
    const input = parseOrThrow(c, activityInput, {
      title: t('plan.planned_activity_title', { name: plan.name }).slice(0, 300),
      status: 'planned',
      theme_ids: plan.theme_ids,
      product_ids: plan.product_ids,
      participants,
    })
    const activity = await createActivity(db, input, { userId: c.get('user')!.id })
    setFlash(c, 'record.created')
    return redirectAfterWrite(c, `/activities/${activity.id}/edit`)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version } = await formFields(c)
    await deletePlan(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    setFlash(c, 'record.deleted')
    return redirectAfterWrite(c, '/plans')
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const plan = await restorePlan(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    setFlash(c, 'record.restored')
    return redirectAfterWrite(c, `/plans/${plan.id}`)
  })
