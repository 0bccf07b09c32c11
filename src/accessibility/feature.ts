import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import * as messages from './accessibility.messages.ts'
import { accessibilityPage } from './accessibility.routes.ts'

/** The accessibility statement (public), linked from every page's footer. */
export const accessibility: Feature = {
  name: 'accessibility',
  routes: new Hono<AppEnv>().route('/accessibility', accessibilityPage),
  messages,
}
