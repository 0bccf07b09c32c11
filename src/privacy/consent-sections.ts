import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { sectionHandler, sectionRoute, type Section } from '../web/sections.ts'
import { consentsOf } from './consents.service.ts'

/** A person's consents on their page, for editors. */
const ofContact: Section = { host: 'contact', id: 'consents', title: 'privacy.consents', path: '/privacy/consents/contact/:id', role: 'editor', order: 20 }

export const consentSections = [ofContact]

export const consentSectionRoutes = new Hono<AppEnv>().get(
  sectionRoute(ofContact),
  requireRole('editor'),
  sectionHandler(ofContact, 'privacy/_consents', async (c, person) => ({ consents: await consentsOf(c.get('db'), person.id) })),
)
