import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { networkApi } from './network.api.ts'
import * as messages from './network.messages.ts'
import { networkCard } from './network.routes.ts'

/** The graph: its JSON API and the node cards; the page itself is network-page. */
export const network: Feature = {
  name: 'network',
  routes: new Hono<AppEnv>().route('/network', networkCard),
  api: new Hono<AppEnv>().route('/network', networkApi),
  messages,
}
