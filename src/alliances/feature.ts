import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { allianceSections, allianceSectionRoutes } from './alliance-sections.ts'
import { allianceBoard } from './alliance-board.routes.ts'
import { allianceDeletion } from './alliance-deletion.routes.ts'
import { allianceTimeline } from './alliance-timeline.ts'
import { alliancesApi } from './alliances.api.ts'
import * as messages from './alliances.messages.ts'
import { alliancePages } from './alliances.routes.ts'
import { commitmentStatus } from './commitment-status.routes.ts'

export const alliances: Feature = {
  name: 'alliances',
  routes: new Hono<AppEnv>()
    .route('/', allianceSectionRoutes)
    .route('/alliances', allianceBoard)
    .route('/alliances', allianceDeletion)
    .route('/alliances', commitmentStatus)
    .route('/alliances', alliancePages),
  api: new Hono<AppEnv>().route('/alliances', alliancesApi),
  messages,
  sections: allianceSections,
  nav: [{ href: '/alliances', key: 'nav.alliances', role: 'viewer', group: 'network', order: 70 }],
  timelines: [allianceTimeline],
}
