import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { publicAccess, requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { formatDate } from '../web/format.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { activitiesBetween, agenda } from './activities.repo.ts'
import { addDays, groupByDate, monthGrid, monthOf } from './calendar.ts'
import { calendarIcs, feedActivities, feedCreatedAt, feedOwner, newFeedToken } from './calendar-feed.ts'
import { forwarded } from '../auth/proxy.ts'

const calendarQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'validation.invalid').optional(),
  view: z.enum(['month', 'agenda']).optional(),
})

const AGENDA_LIMIT = 200

/** The address the browser used, behind a trusted proxy the one it was given. */
function originOf(c: Context<AppEnv>): string {
  const url = new URL(c.req.url)
  const proto = forwarded(c, 'x-forwarded-proto') || url.protocol.replace(':', '')
  const host = forwarded(c, 'x-forwarded-host') || c.req.header('host') || url.host
  return `${proto}://${host}`
}

/** Weekday names Monday first, and the month's name, in the page's language. */
function calendarNames(lang: string, month: string) {
  const long = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' })
  const short = new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' })
  // 2024-01-01 was a Monday.
  const weekdays = [0, 1, 2, 3, 4, 5, 6].map((i) => {
    const d = new Date(Date.UTC(2024, 0, 1 + i))
    return { long: long.format(d), short: short.format(d) }
  })
  const monthName = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`))
  return { weekdays, monthName }
}

async function showSubscribe(c: Context<AppEnv>, token: string | null) {
  const user = c.get('user')!
  const createdAt = await feedCreatedAt(c.get('db'), user.id)
  const url = token ? `${originOf(c)}/calendar/feed/${token}.ics` : null
  // The address is a secret shown once: no cache may keep it.
  c.header('Cache-Control', 'no-store')
  return render(c, 'activities/subscribe', {
    title: c.get('t')('activity.subscribe_title'), url, webcal: url?.replace(/^https?:/, 'webcal:') ?? null, createdAt,
  })
}

export const calendarPages = new Hono<AppEnv>()
  .get('/calendar', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const query = parseOrThrow(c, calendarQuery, c.req.query())
    const today = formatDate(new Date())
    const t = c.get('t')
    if (query.view === 'agenda') {
      const [upcoming, past] = await Promise.all([agenda(db, today, 'upcoming', AGENDA_LIMIT), agenda(db, today, 'past', AGENDA_LIMIT)])
      return render(c, 'activities/agenda', {
        title: t('activity.agenda_title'), today, upcoming: groupByDate(upcoming), past: groupByDate(past),
        moreUpcoming: upcoming.length === AGENDA_LIMIT, morePast: past.length === AGENDA_LIMIT,
      })
    }
    const month = query.month ?? monthOf(today)
    const first = `${month}-01`
    // The grid shows the whole first and last weeks: up to six days either side of the month.
    const activities = await activitiesBetween(db, addDays(first, -7), addDays(first, 44))
    const grid = monthGrid(month, activities, today)
    const names = calendarNames(c.get('lang'), month)
    return render(c, 'activities/calendar', { title: `${t('activity.calendar_title')}: ${names.monthName}`, grid, ...names, today })
  })
  .get('/calendar/subscribe', requireRole('viewer'), (c) => showSubscribe(c, null))
  // One's own feed: a viewer may make (and remake) it.
  .post('/calendar/subscribe', requireRole('viewer'), async (c) => showSubscribe(c, await newFeedToken(c.get('db'), c.get('user')!.id)))

/** `/calendar/feed/<token>.ics` for calendar programs: no session, the secret address is the key. */
export const calendarFeed = new Hono<AppEnv>().get('/feed/:file', publicAccess, async (c) => {
  const match = /^([a-z2-7]+)\.ics$/.exec(c.req.param('file'))
  const db = c.get('db')
  if (!match || !(await feedOwner(db, match[1]!))) throw new NotFoundError()
  const body = calendarIcs(await feedActivities(db, formatDate(new Date())), originOf(c), c.get('t'))
  c.header('Content-Type', 'text/calendar; charset=utf-8')
  c.header('Cache-Control', 'private, max-age=300')
  return c.body(body)
})
