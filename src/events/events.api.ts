import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError, UnavailableError } from '../web/errors.ts'
import { apiDoc } from '../web/openapi.ts'
import { idParam, validate } from '../web/validate.ts'
import { inviteSource, registrationSettings } from './events.schema.ts'
import { readList } from '../web/list.ts'
import { registrationList, toApiSettings } from './events.repo.ts'
import { invitationProgress, invite } from './invitations.ts'
import { counts, findSettings } from './registration.service.ts'
import { saveSettings } from './settings.service.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

const settingsResponse = z.object({
  settings: z.object({ id: z.uuid(), activity_id: z.uuid(), version: z.number(), open: z.boolean(), capacity: z.number().nullable(), deadline: z.string().nullable(), questions: z.array(z.object({ id: z.string(), label: z.string(), kind: z.enum(['text', 'choice']), options: z.array(z.string()), required: z.boolean() })) }).nullable(),
  counts: z.object({ registered: z.number(), waitlisted: z.number(), cancelled: z.number() }),
  invitations: z.object({ total: z.number(), sent: z.number(), pending: z.number(), failed: z.number() }),
  public_url: z.string(),
})

/** Registration settings, registrations and invitations of an activity (seminar, conference, workshop, course). */
export const eventsApi = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}/registration', requireRole('viewer'), idParam, apiDoc({ summary: 'Registration settings, counts and invitation progress', response: settingsResponse }), async (c) => {
    const db = c.get('db')
    const id = c.req.param('id')
    const activity = await db.selectFrom('activities').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
    if (!activity) throw new NotFoundError()
    const [settings, n, inv] = await Promise.all([findSettings(db, id), counts(db, id), invitationProgress(db, id)])
    return c.json({ settings: settings ? toApiSettings(settings) : null, counts: n, invitations: inv, public_url: `/events/${id}` })
  })
  // Creates the settings, or changes them with the version they were read at (409 otherwise).
  .put('/:id{[0-9a-fA-F-]{36}}/registration', requireRole('editor'), idParam, apiDoc({ summary: 'Set registration: open, capacity, deadline, questions', errors: [409] }), validate('json', registrationSettings), async (c) => {
    const saved = await saveSettings(c.get('db'), c.get('deps').outreach?.jobs, c.req.param('id'), c.req.valid('json'), actor(c))
    return c.json(toApiSettings(saved))
  })
  .get('/:id{[0-9a-fA-F-]{36}}/registrations', requireRole('editor'), idParam, apiDoc({ list: true, query: registrationList.schema, summary: 'Registrations, oldest first (the waitlist order; paged, format=csv exports them, audited)' }), async (c) => {
    const db = c.get('db')
    const id = c.req.param('id')
    if (!(await db.selectFrom('activities').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst())) throw new NotFoundError()
    const req = readList(c, { ...registrationList, path: `/api/v1/activities/${id}/registrations` })
    req.query.activity_id = id
    if (req.csv) return req.csv()
    const page = await req.page()
    return c.json({ data: page.data.map(registrationList.toApi), next_cursor: page.next_cursor, total: page.total })
  })
  // Queues invitations as a durable job; each person is invited once per activity.
  .post('/:id{[0-9a-fA-F-]{36}}/invitations', requireRole('editor'), idParam, apiDoc({ status: 202, summary: 'Invite by e-mail: the activity’s invited participants, or a list of addresses', errors: [503] }), validate('json', inviteSource), async (c) => {
    const outreach = c.get('deps').outreach
    if (!outreach) throw new UnavailableError()
    const result = await invite(c.get('db'), outreach.jobs, c.req.param('id'), c.req.valid('json'), c.get('lang') === 'en' ? 'en' : 'sv', actor(c), c.get('t'))
    return c.json(result, 202)
  })
