import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { segmentDeletion } from './segment-deletion.routes.ts'
import { segmentsApi } from './segments.api.ts'
import * as messages from './segments.messages.ts'
import { segmentPages } from './segments.routes.ts'

/** Saved segments: named filters over contacts, resolved in SQL wherever they are used. */
export const segments: Feature = {
  name: 'segments',
  routes: new Hono<AppEnv>().route('/segments', segmentDeletion).route('/segments', segmentPages),
  api: new Hono<AppEnv>().route('/segments', segmentsApi),
  messages,
  nav: [{ href: '/segments', key: 'nav.segments', role: 'viewer', group: 'outreach', order: 115 }],
}
