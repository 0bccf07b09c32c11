import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { findBody, pageBodies } from './bodies.repo.ts'
import { createBody as createInput, listBodiesQuery, updateBody as updateInput } from './bodies.schema.ts'
import { bodiesCsv, createBody, deleteBody, restoreBody, toApiBody, updateBody } from './bodies.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const bodiesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listBodiesQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      // An export is of the whole filtered list, not of one page.
      const { header, rows } = bodiesCsv(await allPages((cursor) => pageBodies(c.get('db'), { ...query, cursor, limit: 1000 })))
      return csvResponse(c, 'bodies.csv', header, rows)
    }
    const page = await pageBodies(c.get('db'), query)
    return c.json({ data: page.data.map(toApiBody), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const body = await createBody(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
    c.header('Location', `/api/v1/bodies/${body.id}`)
    return c.json(toApiBody(body), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const body = await findBody(c.get('db'), c.req.param('id'))
    if (!body) throw new NotFoundError()
    return c.json(toApiBody(body))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const body = await updateBody(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
    return c.json(toApiBody(body))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteBody(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const body = await restoreBody(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiBody(body))
  })
