import { listApi } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { interactionList } from './interactions.list.ts'
import { findInteraction } from './interactions.repo.ts'
import { createInteraction as createInput, updateInteraction as updateInput } from './interactions.schema.ts'
import {
  createInteraction, deleteInteraction, markFollowUpDone, restoreInteraction, toApiInteraction, updateInteraction,
} from './interactions.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })
const doneInput = z.strictObject({ version: z.number().int().positive().optional() })

export const interactionsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(interactionList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const i = await createInteraction(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/interactions/${i.id}`)
    return c.json(toApiInteraction(i), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const i = await findInteraction(c.get('db'), c.req.param('id'))
    if (!i) throw new NotFoundError()
    return c.json(toApiInteraction(i))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const i = await updateInteraction(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiInteraction(i))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteInteraction(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const i = await restoreInteraction(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiInteraction(i))
  })
  .post('/:id{[0-9a-fA-F-]{36}}/done', requireRole('editor'), idParam, async (c) => {
    // The body is optional: `{}`, `{"version": n}` or nothing at all.
    const text = await c.req.text()
    const { version } = parseOrThrow(c, doneInput, text.trim() ? safeJson(text) : {})
    const i = await markFollowUpDone(c.get('db'), c.req.param('id'), actor(c), version)
    return c.json(toApiInteraction(i))
  })

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
