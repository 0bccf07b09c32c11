import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { relationshipsApi } from './relationships.api.ts'
import * as messages from './relationships.messages.ts'
import { relationshipPages } from './relationships.routes.ts'

export const relationships: Feature = {
  name: 'relationships',
  routes: new Hono<AppEnv>().route('/relationships', relationshipPages),
  api: new Hono<AppEnv>().route('/organisation-relationships', relationshipsApi),
  messages,
}
