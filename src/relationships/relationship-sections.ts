import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { sectionHandler, sectionRoute, type Section } from '../web/sections.ts'
import { relationshipSection } from './relationships.routes.ts'

/** The organisation page's relationships, worded from its side, with the form to add one. */
export const ofOrganisation: Section = { host: 'organisation', id: 'relationships', title: 'relationship.title', path: '/relationships/organisation/:id', order: 20 }

export const relationshipSections = [ofOrganisation]

export const relationshipSectionRoutes = new Hono<AppEnv>().get(
  sectionRoute(ofOrganisation),
  requireRole('viewer'),
  sectionHandler(ofOrganisation, 'relationships/_section', async (c, org) => ({
    org,
    section: await relationshipSection(c.get('db'), org.id, c.get('user')!.role === 'admin'),
  })),
)
