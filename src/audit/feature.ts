import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { auditApi } from './audit.api.ts'
import { auditTimeline } from './audit-timeline.ts'

export const audit: Feature = {
  name: 'audit',
  api: new Hono<AppEnv>().route('/audit', auditApi),
  timelines: [(db, entityType, entityId) => auditTimeline(db, entityType, entityId)],
}
