import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import * as messages from './ideas.messages.ts'
import { ideaPages } from './ideas.routes.ts'

/** Public: the idea bank needs no login (and shows only published products). */
export const ideas: Feature = {
  name: 'ideas',
  routes: new Hono<AppEnv>().route('/ideas', ideaPages),
  messages,
}
