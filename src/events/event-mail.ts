import ical, { ICalCalendarMethod } from 'ical-generator'
import { sql } from 'kysely'
import { addDays } from '../activities/calendar.ts'
import type { Activity } from '../db/schema.ts'
import type { JobData } from '../jobs/jobs.ts'
import type { OutreachContext } from '../newsletter/outreach-context.ts'
import { newToken } from '../newsletter/tokens.ts'
import { translator, type Translate } from '../web/i18n.ts'
import type { MailKind } from './registration.service.ts'

export const registrationLink = (base: string, activityId: string) => `${base}/events/${activityId}`
export const cancelLink = (base: string, token: string) => `${base}/events/cancel?token=${token}`

/** When, as a line of a mail: "2027-03-11" or "2027-03-11–2027-03-12". */
export function whenText(a: Pick<Activity, 'start_date' | 'end_date'>, t: Translate): string {
  if (!a.start_date) return t('events.no_date')
  return a.end_date && a.end_date !== a.start_date ? `${a.start_date}–${a.end_date}` : a.start_date
}

export const whereText = (a: Pick<Activity, 'location' | 'online'>, t: Translate) =>
  [a.location, a.online ? t('events.online') : ''].filter(Boolean).join(' · ') || t('events.no_place')

/** The event as an iCalendar file to add to one's calendar: all-day, the end day exclusive (RFC 5545). */
export function eventIcs(a: Pick<Activity, 'id' | 'title' | 'start_date' | 'end_date' | 'location' | 'online' | 'status' | 'version' | 'updated_at'>, base: string, t: Translate): string | null {
  if (!a.start_date) return null
  const calendar = ical({ method: ICalCalendarMethod.PUBLISH, prodId: { company: 'Navet', product: 'events', language: 'SV' } })
  calendar.createEvent({
    id: `${a.id}@${new URL(base).hostname}`,
    start: a.start_date,
    end: addDays(a.end_date ?? a.start_date, 1),
    allDay: true,
    summary: a.title,
    location: a.location ?? (a.online ? t('events.online') : null),
    url: registrationLink(base, a.id),
    stamp: a.updated_at,
    sequence: a.version,
  })
  return calendar.toString()
}

/** A cancel link is good until the day after the event (half a year when it has no date). */
async function cancelToken(ctx: OutreachContext, registrationId: string, a: Pick<Activity, 'start_date' | 'end_date'>): Promise<string> {
  const last = a.end_date ?? a.start_date
  const expires = last ? new Date(`${addDays(last, 2)}T00:00:00Z`) : new Date(Date.now() + 183 * 86_400_000)
  const { token, hash } = newToken()
  await ctx.db.insertInto('event_tokens').values({
    token_hash: hash, purpose: 'cancel', registration_id: registrationId,
    expires_at: expires.getTime() > Date.now() ? expires : sql<Date>`now() + interval '1 day'`,
  }).execute()
  return token
}

/**
 * The mail after a registration: a place (with the event as an .ics attachment), a place on the
 * waitlist, or a place come free from the waitlist. Each carries a link that cancels this one
 * registration; a promotion that was cancelled again before the job ran sends nothing.
 */
export async function sendRegistrationMail(ctx: OutreachContext, data: JobData): Promise<void> {
  const kind = String(data.kind) as MailKind
  const reg = await ctx.db.selectFrom('event_registrations as r').innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.id', 'r.status', 'r.lang', 'r.activity_id', 'c.email', 'c.deleted_at', 'c.erased_at'])
    .where('r.id', '=', String(data.registration_id)).executeTakeFirst()
  if (!reg || !reg.email || reg.deleted_at || reg.erased_at) return
  if (reg.status === 'cancelled' || (kind !== 'waitlisted') !== (reg.status === 'registered')) return
  const activity = await ctx.db.selectFrom('activities').selectAll().where('id', '=', reg.activity_id).where('deleted_at', 'is', null).executeTakeFirst()
  if (!activity) return
  const t = translator(reg.lang)
  const token = await cancelToken(ctx, reg.id, activity)
  const link = cancelLink(ctx.base, token)
  const ics = kind === 'waitlisted' ? null : eventIcs(activity, ctx.base, t)
  await ctx.mailer.send({
    kind: `event-${kind}`,
    to: reg.email,
    subject: t(`events.mail_subject_${kind}`, { title: activity.title }),
    text: t(`events.mail_text_${kind}`, { title: activity.title, when: whenText(activity, t), where: whereText(activity, t), link }),
    attachments: ics ? [{ filename: 'event.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] : undefined,
    links: [link],
  })
}
