import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { today } from '../register/vocabulary.ts'
import { sectionHandler, sectionRoute, type Section } from '../web/sections.ts'
import { seatsForPage } from './bodies.repo.ts'

/** The seats an organisation or a person holds on the network's bodies, on their pages. */
const ofOrganisation: Section = { host: 'organisation', id: 'seats', title: 'body.seats_held', path: '/bodies/seats/organisation/:id', order: 10 }
const ofContact: Section = { host: 'contact', id: 'seats', title: 'body.seats_held', path: '/bodies/seats/contact/:id', order: 10 }

export const bodySections = [ofOrganisation, ofContact]

export const bodySectionRoutes = new Hono<AppEnv>()
  .get(
    sectionRoute(ofOrganisation),
    requireRole('viewer'),
    sectionHandler(ofOrganisation, 'bodies/_seats', async (c, org) => ({ seats: await seatsForPage(c.get('db'), { organisation_id: org.id }, today()), seatsOf: 'organisation' })),
  )
  .get(
    sectionRoute(ofContact),
    requireRole('viewer'),
    sectionHandler(ofContact, 'bodies/_seats', async (c, person) => ({ seats: await seatsForPage(c.get('db'), { contact_id: person.id }, today()), seatsOf: 'contact' })),
  )
