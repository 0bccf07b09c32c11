import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { relationshipSections, relationshipSectionRoutes } from './relationship-sections.ts'
import { relationshipsApi } from './relationships.api.ts'
import * as messages from './relationships.messages.ts'
import { relationshipPages } from './relationships.routes.ts'

export const relationships: Feature = {
  name: 'relationships',
  routes: new Hono<AppEnv>()
    .route('/', relationshipSectionRoutes).route('/relationships', relationshipPages),
  api: new Hono<AppEnv>().route('/organisation-relationships', relationshipsApi),
  messages,
  sections: relationshipSections,
}
