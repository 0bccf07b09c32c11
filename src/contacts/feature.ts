import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { contactDeletion } from './contact-deletion.routes.ts'
import { contactsBulk } from './contacts-bulk.routes.ts'
import { contactsApi } from './contacts.api.ts'
import * as messages from './contacts.messages.ts'
import { contactHost, contactPages } from './contacts.routes.ts'

export const contacts: Feature = {
  name: 'contacts',
  routes: new Hono<AppEnv>()
    .route('/contacts', contactsBulk)
    .route('/contacts', contactDeletion)
    .route('/contacts', contactPages),
  api: new Hono<AppEnv>().route('/contacts', contactsApi),
  messages,
  sectionHosts: { contact: contactHost },
  nav: [{ href: '/contacts', key: 'nav.contacts', role: 'viewer', group: 'register', order: 30 }],
}
