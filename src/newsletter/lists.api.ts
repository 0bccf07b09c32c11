import { Hono, type Context } from 'hono'
import { findSegment } from '../segments/segments.service.ts'
import type { Selectable } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { NewsletterListsTable } from '../db/schema.ts'
import { createRecord, updateRecord } from '../db/write.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { apiDoc } from '../web/openapi.ts'
import { readList } from '../web/list.ts'
import { findList, listLists, subscriberList } from './lists.repo.ts'
import { createList, updateList } from './lists.schema.ts'

type List = Selectable<NewsletterListsTable>
const toApiList = (l: List) => ({
  id: l.id, version: l.version, name: l.name, description: l.description, public: l.public, segment_id: l.segment_id,
  created_at: l.created_at.toISOString(), updated_at: l.updated_at.toISOString(),
})

/** A list's segment must be a live one when it is set or changed. */
async function checkSegment(c: Context<AppEnv>, id: string | null | undefined) {
  if (id && !(await findSegment(c.get('db'), id))) throw new ValidationError({ segment_id: c.get('t')('validation.unknown_reference') })
}

/** Newsletter lists (topics) and their subscribers. */
export const newsletterListsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const lists = await listLists(c.get('db'))
    return c.json({ data: lists.map(toApiList), next_cursor: null })
  })
  .post('/', requireRole('editor'), validate('json', createList), async (c) => {
    const input = c.req.valid('json')
    await checkSegment(c, input.segment_id)
    const list = await createRecord(c.get('db'), 'newsletter_lists', input, { userId: c.get('user')!.id })
    c.header('Location', `/api/v1/newsletter/lists/${list.id}`)
    return c.json(toApiList(list), 201)
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateList), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const db = c.get('db')
    const current = await findList(db, c.req.param('id'))
    if (!current) throw new NotFoundError()
    if (patch.segment_id !== current.segment_id) await checkSegment(c, patch.segment_id)
    return c.json(toApiList(await updateRecord(db, 'newsletter_lists', current.id, version, patch, { userId: c.get('user')!.id })))
  })
  .get('/:id', requireRole('viewer'), idParam, async (c) => {
    const list = await findList(c.get('db'), c.req.param('id'))
    if (!list) throw new NotFoundError()
    return c.json(toApiList(list))
  })
  .get('/:id/subscribers', requireRole('editor'), idParam,
    apiDoc({ summary: "The list's subscribers (paged by address; format=csv exports them all, filters kept, audited)", list: true, query: subscriberList.schema }),
    async (c) => {
      const db = c.get('db')
      const list = await findList(db, c.req.param('id'))
      if (!list) throw new NotFoundError()
      const req = readList(c, { ...subscriberList, path: `/api/v1/newsletter/lists/${list.id}/subscribers` })
      req.query.list_id = list.id
      if (req.csv) return req.csv()
      const page = await req.page()
      return c.json({ data: page.data.map(subscriberList.toApi), next_cursor: page.next_cursor, total: page.total })
    })
