import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { idParam, validate } from '../web/validate.ts'
import { apiDoc } from '../web/openapi.ts'
import { NotFoundError } from '../web/errors.ts'
import { consentsOf, recordConsent, withdrawConsent } from './consents.service.ts'

const METHODS = ['form', 'email', 'in_person', 'phone', 'other'] as const
const timestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()])

const consentInput = z.strictObject({
  purpose: z.string().trim().min(1).max(200),
  given_at: timestamp.optional(),
  method: z.enum(METHODS),
  text: z.string().trim().min(1).max(20_000),
  withdrawn_at: timestamp.nullish(),
})

const withdrawInput = z.strictObject({
  method: z.enum([...METHODS, 'link']).default('other'),
  withdrawn_at: timestamp.optional(),
})

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

async function existing(c: { get(k: 'db'): AppEnv['Variables']['db'] }, id: string) {
  const row = await c.get('db').selectFrom('contacts').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
  if (!row) throw new NotFoundError()
}

/** Consent records of a person (`/api/v1/contacts/:id/consents`). */
export const consentsApi = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}/consents', requireRole('editor'), idParam, async (c) => {
    await existing(c, c.req.param('id'))
    return c.json({ data: await consentsOf(c.get('db'), c.req.param('id')), next_cursor: null })
  })
  .post('/:id{[0-9a-fA-F-]{36}}/consents', requireRole('editor'), idParam, apiDoc({ summary: 'Record a consent (not for an erased person: 409)', errors: [409] }), validate('json', consentInput), async (c) => {
    const { withdrawn_at, ...input } = c.req.valid('json')
    const db = c.get('db')
    let consent = await recordConsent(db, { ...input, contact_id: c.req.param('id') }, actor(c))
    if (withdrawn_at) consent = await withdrawConsent(db, consent.contact_id, consent.id, { method: 'other', at: withdrawn_at }, actor(c))
    c.header('Location', `/api/v1/contacts/${consent.contact_id}/consents/${consent.id}`)
    return c.json(consent, 201)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/consents/:consent_id/withdraw', requireRole('editor'), idParam, apiDoc({ summary: 'Withdraw a consent (once: 409 after)', errors: [409] }), validate('param', z.object({ id: z.uuid(), consent_id: z.uuid() })), validate('json', withdrawInput), async (c) => {
    const body = c.req.valid('json')
    const consent = await withdrawConsent(c.get('db'), c.req.param('id'), c.req.param('consent_id'), { method: body.method, at: body.withdrawn_at }, actor(c))
    return c.json(consent)
  })
