import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { formatDate } from '../web/format.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { findInteraction, pageInteractions } from './interactions.repo.ts'
import { createInteraction as createInput, listInteractionsQuery, updateInteraction as updateInput } from './interactions.schema.ts'
import {
  createInteraction, deleteInteraction, INTERACTION_CSV_FIELDS, markFollowUpDone, restoreInteraction, toApiInteraction, updateInteraction,
} from './interactions.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })
const doneInput = z.strictObject({ version: z.number().int().positive().optional() })

export const interactionsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listInteractionsQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    const today = formatDate(new Date())
    if (query.format === 'csv') {
      const rows = await allPages((cursor) => pageInteractions(c.get('db'), { ...query, cursor, limit: 1000 }, today))
      const data = rows.map(toApiInteraction)
      return csvResponse(c, 'interactions.csv', [...INTERACTION_CSV_FIELDS], data.map((i) => INTERACTION_CSV_FIELDS.map((f) => i[f])))
    }
    const page = await pageInteractions(c.get('db'), query, today)
    return c.json({ data: page.data.map(toApiInteraction), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const i = await createInteraction(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
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
    const i = await updateInteraction(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
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
    const i = await markFollowUpDone(c.get('db'), c.req.param('id'), actor(c), c.get('t'), version)
    return c.json(toApiInteraction(i))
  })

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
