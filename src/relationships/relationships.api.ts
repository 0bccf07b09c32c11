import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { apiDoc } from '../web/openapi.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { findRelationship, pageRelationships } from './relationships.repo.ts'
import { createRelationship as createInput, listRelationshipsQuery, updateRelationship as updateInput } from './relationships.schema.ts'
import {
  createRelationship, deleteRelationship, RELATIONSHIP_CSV_FIELDS, restoreRelationship, toApiRelationship, updateRelationship,
} from './relationships.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const relationshipsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), apiDoc({ list: true, query: listRelationshipsQuery }), async (c) => {
    const query = parseOrThrow(c, listRelationshipsQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      const rows = (await allPages((cursor) => pageRelationships(c.get('db'), { ...query, cursor, limit: 1000 }))).map(toApiRelationship)
      return csvResponse(c, 'organisation-relationships.csv', [...RELATIONSHIP_CSV_FIELDS], rows.map((r) => RELATIONSHIP_CSV_FIELDS.map((f) => r[f])))
    }
    const page = await pageRelationships(c.get('db'), query)
    return c.json({ data: page.data.map(toApiRelationship), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const r = await createRelationship(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
    c.header('Location', `/api/v1/organisation-relationships/${r.id}`)
    return c.json(toApiRelationship(r), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const r = await findRelationship(c.get('db'), c.req.param('id'))
    if (!r) throw new NotFoundError()
    return c.json(toApiRelationship(r))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const r = await updateRelationship(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
    return c.json(toApiRelationship(r))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteRelationship(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const r = await restoreRelationship(c.get('db'), c.req.param('id'), actor(c), c.get('t'))
    return c.json(toApiRelationship(r))
  })
