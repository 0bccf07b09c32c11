import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { contactList } from '../contacts/contacts.list.ts'
import { NotFoundError } from '../web/errors.ts'
import { listApi, readList } from '../web/list.ts'
import { apiDoc } from '../web/openapi.ts'
import { idParam, validate } from '../web/validate.ts'
import { segmentList } from './segments.list.ts'
import { createSegment as createInput, segmentDefinition, updateSegment as updateInput } from './segments.schema.ts'
import { countDefinition, countMembers, createSegment, deleteSegment, findSegment, restoreSegment, toApiSegment, updateSegment } from './segments.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })
const ID = '/:id{[0-9a-fA-F-]{36}}'
const countAnswer = z.object({ count: z.number().int() })

/** The contact list of one segment's members: its paging, filters, CSV export (audited) and links. */
export function segmentMembers(c: Context<AppEnv>, segmentId: string, path: string) {
  const req = readList(c, { ...contactList, path })
  req.query.segment_id = [segmentId]
  return req
}

async function liveSegment(c: Context<AppEnv>) {
  const segment = await findSegment(c.get('db'), c.req.param('id')!)
  if (!segment) throw new NotFoundError()
  return segment
}

/** Saved segments: CRUD, members (the contact list's object, paged, CSV) and counts. */
export const segmentsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(segmentList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const segment = await createSegment(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/segments/${segment.id}`)
    return c.json(toApiSegment(segment), 201)
  })
  // How many people a definition holds, before it is saved.
  .post('/count', requireRole('viewer'), apiDoc({ summary: 'Count the members of an unsaved definition', status: 200, response: countAnswer }),
    validate('json', segmentDefinition), async (c) => c.json({ count: await countDefinition(c.get('db'), c.req.valid('json')) }))
  .get(ID, requireRole('viewer'), idParam, async (c) => c.json(toApiSegment(await liveSegment(c))))
  .get(`${ID}/count`, requireRole('viewer'), idParam, apiDoc({ summary: 'How many people the segment holds now', response: countAnswer }), async (c) => {
    const segment = await liveSegment(c)
    return c.json({ count: (await countMembers(c.get('db'), { ids: [segment.id] })).get(segment.id) ?? 0 })
  })
  .get(`${ID}/members`, requireRole('viewer'), idParam, apiDoc({ summary: 'The members now, as contacts (paged; format=csv exports them, audited)', list: true, query: contactList.schema }), async (c) => {
    const segment = await liveSegment(c)
    const req = segmentMembers(c, segment.id, `/api/v1/segments/${segment.id}/members`)
    if (req.csv) return req.csv()
    const page = await req.page()
    return c.json({ data: page.data.map(contactList.toApi), next_cursor: page.next_cursor, total: page.total })
  })
  .patch(ID, requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    return c.json(toApiSegment(await updateSegment(c.get('db'), c.req.param('id'), version, patch, actor(c))))
  })
  .delete(ID, requireRole('editor'), idParam, async (c) => {
    await deleteSegment(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post(`${ID}/restore`, requireRole('admin'), idParam, async (c) => c.json(toApiSegment(await restoreSegment(c.get('db'), c.req.param('id'), actor(c)))))
