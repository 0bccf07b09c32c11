import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import * as messages from './dashboard.messages.ts'
import { dashboard as page } from './dashboard.routes.ts'

export const dashboard: Feature = {
  name: 'dashboard',
  routes: new Hono<AppEnv>().route('/', page),
  messages,
  nav: [{ href: '/', key: 'nav.dashboard', role: 'viewer', order: 10 }],
}
