import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { bodySections, bodySectionRoutes } from './body-sections.ts'
import { bodiesApi } from './bodies.api.ts'
import * as messages from './bodies.messages.ts'
import { bodyPages } from './bodies.routes.ts'
import { bodyDeletion } from './body-deletion.routes.ts'

export const bodies: Feature = {
  name: 'bodies',
  routes: new Hono<AppEnv>()
    .route('/', bodySectionRoutes)
    .route('/bodies', bodyDeletion)
    .route('/bodies', bodyPages),
  api: new Hono<AppEnv>().route('/bodies', bodiesApi),
  messages,
  sections: bodySections,
  nav: [{ href: '/bodies', key: 'nav.bodies', role: 'viewer', group: 'network', order: 80 }],
}
