import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { sectionHandler, sectionRoute, type Section } from '../web/sections.ts'
import { projectsOfOrganisation } from './projects.repo.ts'

/** The organisation page's projects: those it leads or is a partner in. */
const ofOrganisation: Section = { host: 'organisation', id: 'projects', title: 'project.org_section', path: '/projects/organisation/:id', order: 40 }

export const projectSections = [ofOrganisation]

export const projectSectionRoutes = new Hono<AppEnv>().get(
  sectionRoute(ofOrganisation),
  requireRole('viewer'),
  sectionHandler(ofOrganisation, 'projects/_organisation', async (c, org) => ({ projects: await projectsOfOrganisation(c.get('db'), org.id) })),
)
