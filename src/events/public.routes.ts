import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { clientIp } from '../auth/auth.service.ts'
import { limitKey, takeAttempt } from '../auth/rate-limit.ts'
import { publicAccess } from '../auth/roles.ts'
import { formFields } from '../web/form.ts'
import { NotFoundError, RateLimitedError, UnavailableError, ValidationError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam } from '../web/validate.ts'
import { registrationForm } from './events.schema.ts'
import { availability, cancelRegistration, counts, findSettings, register, tokenRegistration } from './registration.service.ts'

/** One address may register this often per quarter hour (a form for a seminar, not a mail cannon). */
const REGISTER_LIMIT = { max: 20, windowSeconds: 15 * 60 }

function outreachOf(c: Context<AppEnv>) {
  const o = c.get('deps').outreach
  if (!o) throw new UnavailableError()
  return o
}

async function publicEvent(c: Context<AppEnv>) {
  const db = c.get('db')
  const id = c.req.param('id')!
  const [activity, settings] = await Promise.all([
    db.selectFrom('activities').select(['id', 'title', 'type', 'status', 'start_date', 'end_date', 'location', 'online'])
      .where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst(),
    findSettings(db, id),
  ])
  // Only an activity whose registration was set up has a public page; others are not found.
  if (!activity || !settings) throw new NotFoundError()
  return { activity, settings }
}

async function registrationPage(c: Context<AppEnv>, form: Record<string, string> = {}, errors: Record<string, string> = {}, status = 200) {
  const { activity, settings } = await publicEvent(c)
  const taken = (await counts(c.get('db'), activity.id)).registered
  const left = settings.capacity === null ? null : Math.max(0, settings.capacity - taken)
  const t = c.get('t')
  return render(c, 'events/register', {
    title: t('events.register_title', { title: activity.title }), activity, settings, state: availability(settings, activity), left, form, errors,
  }, status)
}

/** The public registration pages: no login; the cancel link in the mail is the only credential. */
export const eventPages = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}', publicAccess, idParam, (c) => registrationPage(c))
  .post('/:id{[0-9a-fA-F-]{36}}', publicAccess, idParam, async (c) => {
    const t = c.get('t')
    const values = await formFields(c)
    const input = { name: values.name ?? '', email: values.email ?? '', organisation: values.organisation }
    const parsed = registrationForm.safeParse(input)
    const answers = Object.fromEntries(Object.entries(values).flatMap(([k, v]) => (k.startsWith('q_') ? [[k.slice(2), v]] : [])))
    if (!parsed.success) return registrationPage(c, values, fieldErrors(parsed.error, t), 422)
    const outreach = outreachOf(c)
    const db = c.get('db')
    try {
      await takeAttempt(db, limitKey('event-register-ip', clientIp(c)), REGISTER_LIMIT)
      const result = await register(db, outreach.jobs, c.req.param('id'), parsed.data, answers, t('events.consent_text'), c.get('lang') === 'en' ? 'en' : 'sv')
      return render(c, 'events/registered', { title: t(`events.${result}_title`), result, dev: outreach.mailer.dev, activityId: c.req.param('id') })
    } catch (err) {
      if (err instanceof ValidationError) return registrationPage(c, values, translateFields(err.fields, t), 422)
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds))
        return registrationPage(c, values, { form: t('events.rate_limited') }, 429)
      }
      throw err
    }
  })
  // The link in the mail only opens this page: a link scanner that follows it cancels nothing.
  .get('/cancel', publicAccess, async (c) => {
    const token = (c.req.query('token') ?? '').slice(0, 100)
    const found = await tokenRegistration(c.get('db'), token)
    const t = c.get('t')
    if (!found) return render(c, 'events/cancelled', { title: t('events.cancel_title'), result: 'invalid' }, 400)
    if (found.used_at || found.status === 'cancelled') return render(c, 'events/cancelled', { title: t('events.cancel_title'), result: 'already' })
    return render(c, 'events/cancel', { title: t('events.cancel_title'), token, event: found })
  })
  .post('/cancel', publicAccess, async (c) => {
    const { token = '' } = await formFields(c)
    const result = await cancelRegistration(c.get('db'), outreachOf(c).jobs, token.slice(0, 100))
    const ok = result === 'cancelled' || result === 'already'
    return render(c, 'events/cancelled', { title: c.get('t')('events.cancel_title'), result }, ok ? 200 : 400)
  })
