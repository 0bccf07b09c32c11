import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import * as messages from './stakeholder-map.messages.ts'
import { stakeholderMap as page } from './stakeholder-map.routes.ts'

export const stakeholderMap: Feature = {
  name: 'stakeholder-map',
  routes: new Hono<AppEnv>().route('/stakeholder-map', page),
  messages,
  nav: [{ href: '/stakeholder-map', key: 'nav.stakeholder_map', role: 'viewer', group: 'network', order: 90 }],
}
