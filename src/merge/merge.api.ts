import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { findContact, toApiContact } from '../contacts/contacts.service.ts'
import type { Organisation } from '../db/schema.ts'
import { toApiOrganisation } from '../organisations/organisations.service.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import type { MergeEntity } from './links.ts'
import { MERGE_FIELDS } from './merge-fields.ts'
import { mergeRecords } from './merge.service.ts'
import { mergeable } from './mergeable.ts'

function mergeBody(entity: MergeEntity) {
  const side = z.enum(['this', 'other']).optional()
  return z.strictObject({
    other_id: z.uuid(),
    version: z.number().int().positive(),
    other_version: z.number().int().positive(),
    fields: z.strictObject(Object.fromEntries(MERGE_FIELDS[entity].choose.map((f) => [f, side]))).default({}),
  })
}

/** POST /api/v1/<plural>/:id/merge: the other record is merged into this one, which is returned. */
function mergeApi(entity: MergeEntity) {
  return new Hono<AppEnv>().post('/:id{[0-9a-fA-F-]{36}}/merge', requireRole('editor'), idParam, validate('json', mergeBody(entity)), async (c) => {
    const db = c.get('db')
    const input = c.req.valid('json') as z.output<ReturnType<typeof mergeBody>>
    if (!(await mergeable(db, entity, c.req.param('id'))) || !(await mergeable(db, entity, input.other_id))) throw new NotFoundError()
    const fields = Object.fromEntries(Object.entries(input.fields).filter(([, v]) => v !== undefined)) as Record<string, 'this' | 'other'>
    const survivor = await mergeRecords(db, entity, c.req.param('id'), { ...input, fields }, { userId: c.get('user')!.id })
    if (entity === 'organisations') return c.json(toApiOrganisation(survivor as Organisation))
    const contact = await findContact(db, survivor.id)
    if (!contact) throw new NotFoundError()
    return c.json(toApiContact(contact))
  })
}

export const organisationMergeApi = mergeApi('organisations')
export const contactMergeApi = mergeApi('contacts')
