import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { searchApi } from './search.api.ts'
import * as messages from './search.messages.ts'
import { searchPages } from './search.routes.ts'

export const search: Feature = {
  name: 'search',
  routes: new Hono<AppEnv>().route('/search', searchPages),
  api: new Hono<AppEnv>().route('/search', searchApi),
  messages,
}
