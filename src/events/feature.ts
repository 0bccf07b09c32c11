import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { eventsApi } from './events.api.ts'
import * as messages from './events.messages.ts'
import { eventPages } from './public.routes.ts'
import { eventStaffPages } from './staff.routes.ts'

/**
 * Event registration (issue 12): a public registration page per activity with capacity, deadline,
 * questions and a waitlist; confirmation mails with the event as .ics and a cancel link;
 * invitations as a durable job; a check-in list. Its jobs run on outreach's queue (src/events/jobs.ts).
 */
export const events: Feature = {
  name: 'events',
  routes: new Hono<AppEnv>().route('/events', eventPages).route('/activities', eventStaffPages),
  api: new Hono<AppEnv>().route('/activities', eventsApi),
  messages,
}
