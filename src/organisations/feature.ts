import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { organisationDeletion } from './organisation-deletion.routes.ts'
import { organisationsBulk } from './organisations-bulk.routes.ts'
import { organisationsApi } from './organisations.api.ts'
import * as messages from './organisations.messages.ts'
import { organisationHost, organisationPages } from './organisations.routes.ts'
import './org-picker.ts'

export const organisations: Feature = {
  name: 'organisations',
  routes: new Hono<AppEnv>()
    .route('/organisations', organisationsBulk)
    .route('/organisations', organisationDeletion)
    .route('/organisations', organisationPages),
  api: new Hono<AppEnv>().route('/organisations', organisationsApi),
  messages,
  sectionHosts: { organisation: organisationHost },
  nav: [{ href: '/organisations', key: 'nav.organisations', role: 'viewer', group: 'register', order: 20 }],
}
