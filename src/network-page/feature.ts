import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import * as messages from './network-page.messages.ts'
import { networkPage as page } from './network-page.routes.ts'

export const networkPage: Feature = {
  name: 'network-page',
  routes: new Hono<AppEnv>().route('/network', page),
  messages,
  nav: [{ href: '/network', key: 'nav.network', role: 'viewer', group: 'network', order: 100 }],
}
