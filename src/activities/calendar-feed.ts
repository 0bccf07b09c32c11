import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import ical, { ICalEventStatus } from 'ical-generator'
import { sql } from 'kysely'
import type { Activity } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { Translate } from '../web/i18n.ts'
import { addDays } from './calendar.ts'

/**
 * A personal, secret calendar address: calendar programs cannot log in, so the address is the
 * key. Only its SHA-256 is stored; a new one replaces the old, which stops working at once.
 */
const hashToken = (token: string) => sha256(new TextEncoder().encode(token))

export async function newFeedToken(db: Executor, userId: string): Promise<string> {
  const bytes = new Uint8Array(25)
  crypto.getRandomValues(bytes)
  const token = encodeBase32LowerCaseNoPadding(bytes)
  await db
    .insertInto('calendar_feeds')
    .values({ user_id: userId, token_hash: hashToken(token) })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashToken(token), created_at: sql`now()` }))
    .execute()
  return token
}

export async function feedCreatedAt(db: Executor, userId: string): Promise<Date | null> {
  const row = await db.selectFrom('calendar_feeds').select('created_at').where('user_id', '=', userId).executeTakeFirst()
  return row?.created_at ?? null
}

const TOKEN = /^[a-z2-7]{40}$/

/** The active user a feed token belongs to, or null: unknown, replaced, or the user deactivated. */
export async function feedOwner(db: Executor, token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null
  const hash = hashToken(token)
  const row = await db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .select(['calendar_feeds.user_id', 'calendar_feeds.token_hash'])
    .where('calendar_feeds.token_hash', '=', hash)
    .where('users.active', '=', true)
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  return constantTimeEqual(new Uint8Array(row.token_hash), hash) ? row.user_id : null
}

/** How far back done and cancelled activities stay in the feed, so a calendar does not lose what just happened. */
export const FEED_PAST_DAYS = 90

/** Planned activities (any date), and done or cancelled ones of the last FEED_PAST_DAYS. */
export async function feedActivities(db: Executor, today: string): Promise<Activity[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('start_date', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'planned'),
        eb(sql`coalesce(end_date, start_date)`, '>=', addDays(today, -FEED_PAST_DAYS)),
      ]),
    )
    .orderBy('start_date')
    .orderBy('id')
    .limit(5000)
    .execute()
}

/** The iCalendar text: all-day events, the end day exclusive as RFC 5545 wants it. */
export function calendarIcs(activities: readonly Activity[], origin: string, t: Translate): string {
  const host = new URL(origin).hostname
  const calendar = ical({ name: `${t('app.name')} – ${t('activity.list_title')}`, prodId: { company: 'Navet', product: 'activities', language: 'SV' } })
  for (const a of activities) {
    const start = a.start_date!
    calendar.createEvent({
      id: `${a.id}@${host}`,
      start,
      end: addDays(a.end_date ?? start, 1),
      allDay: true,
      summary: a.title,
      location: a.location ?? (a.online ? t('activity.online') : null),
      description: [t(`activity.type.${a.type}`), a.level ? t(`activity.level.${a.level}`) : ''].filter(Boolean).join(' · '),
      url: `${origin}/activities/${a.id}`,
      status: a.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      stamp: a.updated_at,
      sequence: a.version,
      lastModified: a.updated_at,
    })
  }
  return calendar.toString()
}
