import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { dropEmpty } from '../register/list-query.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { explicitTargets } from './plan-view.ts'

const rowQuery = z.strictObject({ organisation_ids: z.uuid().optional(), contact_ids: z.uuid().optional() })

/** The plan form's "Add" beside a picker (htmx): one more ticked row in the chosen list. */
export const planTargetRow = new Hono<AppEnv>().get('/target-row', requireRole('editor'), async (c) => {
  const q = parseOrThrow(c, rowQuery, dropEmpty(c.req.query()))
  const found = await explicitTargets(c.get('db'), q.organisation_ids ? [q.organisation_ids] : [], q.contact_ids ? [q.contact_ids] : [])
  const org = found.organisations[0]
  const person = found.contacts[0]
  if (org) return render(c, 'plans/_chosen', { name: 'organisation_ids', id: org.id, label: org.name })
  if (person) return render(c, 'plans/_chosen', { name: 'contact_ids', id: person.id, label: person.name })
  return c.body(null, 204)
})
