import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { csvResponse } from '../web/csv.ts'
import { idParam, validate } from '../web/validate.ts'
import { dropEmpty } from '../register/list-query.ts'
import { allPages } from '../register/csv-export.ts'
import { createOrganisation as createInput, listOrganisationsQuery, updateOrganisation as updateInput } from './organisations.schema.ts'
import { findOrganisation, pageOrganisations } from './organisations.repo.ts'
import {
  createOrganisation, deleteOrganisation, ORGANISATION_CSV_FIELDS, restoreOrganisation, toApiOrganisation, updateOrganisation,
} from './organisations.service.ts'
import { parseOrThrow } from '../web/validate.ts'

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

export const organisationsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listOrganisationsQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      // An export is of the whole filtered list, not of one page.
      const rows = await allPages((cursor) => pageOrganisations(c.get('db'), { ...query, cursor, limit: 1000 }))
      const data = rows.map(toApiOrganisation)
      return csvResponse(c, 'organisations.csv', [...ORGANISATION_CSV_FIELDS], data.map((o) => ORGANISATION_CSV_FIELDS.map((f) => o[f])))
    }
    const page = await pageOrganisations(c.get('db'), query)
    return c.json({ data: page.data.map(toApiOrganisation), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const o = await createOrganisation(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
    c.header('Location', `/api/v1/organisations/${o.id}`)
    return c.json(toApiOrganisation(o), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const o = await findOrganisation(c.get('db'), c.req.param('id'))
    if (!o) throw new NotFoundError()
    return c.json(toApiOrganisation(o))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const o = await updateOrganisation(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
    return c.json(toApiOrganisation(o))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteOrganisation(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const o = await restoreOrganisation(c.get('db'), c.req.param('id'), actor(c), c.get('t'))
    return c.json(toApiOrganisation(o))
  })
