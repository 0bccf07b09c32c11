import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { today } from '../register/vocabulary.ts'
import { sectionHandler, sectionRoute, type Section } from '../web/sections.ts'
import { organisationAlliances } from './memberships.repo.ts'

/** The organisation page's alliances: memberships now and before, and commitments overdue. */
const ofOrganisation: Section = { host: 'organisation', id: 'alliances', title: 'alliance.org_section', path: '/alliances/organisation/:id', order: 30 }

export const allianceSections = [ofOrganisation]

export const allianceSectionRoutes = new Hono<AppEnv>().get(
  sectionRoute(ofOrganisation),
  requireRole('viewer'),
  sectionHandler(ofOrganisation, 'alliances/_organisation', (c, org) => organisationAlliances(c.get('db'), org.id, today())),
)
