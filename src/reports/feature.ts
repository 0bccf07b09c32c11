import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { periodReportPage } from './period-report.routes.ts'
import * as messages from './reports.messages.ts'

export const reports: Feature = {
  name: 'reports',
  routes: new Hono<AppEnv>().route('/reports', periodReportPage),
  messages,
}
