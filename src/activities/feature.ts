import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { activitiesApi } from './activities.api.ts'
import * as messages from './activities.messages.ts'
import { activityPages } from './activities.routes.ts'
import { activityDeletion } from './activity-deletion.routes.ts'
import { activityTimeline } from './activity-timeline.ts'
import { calendarFeed, calendarPages } from './calendar.routes.ts'
import { participantPages } from './participants.routes.ts'

export const activities: Feature = {
  name: 'activities',
  routes: new Hono<AppEnv>()
    .route('/activities', calendarPages)
    .route('/activities', participantPages)
    .route('/activities', activityDeletion)
    .route('/activities', activityPages)
    .route('/calendar', calendarFeed),
  api: new Hono<AppEnv>().route('/activities', activitiesApi),
  messages,
  nav: [{ href: '/activities', key: 'nav.activities', role: 'viewer', group: 'outreach', order: 110 }],
  timelines: [activityTimeline],
}
