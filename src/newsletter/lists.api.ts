import { Hono } from 'hono'
import type { Selectable } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { NewsletterListsTable } from '../db/schema.ts'
import { createRecord } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { findList, listLists, subscribers } from './lists.repo.ts'
import { createList } from './lists.schema.ts'

type List = Selectable<NewsletterListsTable>
const toApiList = (l: List) => ({
  id: l.id, version: l.version, name: l.name, description: l.description, public: l.public,
  created_at: l.created_at.toISOString(), updated_at: l.updated_at.toISOString(),
})

/** Newsletter lists (topics) and their subscribers. */
export const newsletterListsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const lists = await listLists(c.get('db'))
    return c.json({ data: lists.map(toApiList), next_cursor: null })
  })
  .post('/', requireRole('editor'), validate('json', createList), async (c) => {
    const list = await createRecord(c.get('db'), 'newsletter_lists', c.req.valid('json'), { userId: c.get('user')!.id })
    c.header('Location', `/api/v1/newsletter/lists/${list.id}`)
    return c.json(toApiList(list), 201)
  })
  .get('/:id', requireRole('viewer'), idParam, async (c) => {
    const list = await findList(c.get('db'), c.req.param('id'))
    if (!list) throw new NotFoundError()
    return c.json(toApiList(list))
  })
  .get('/:id/subscribers', requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    if (!(await findList(db, c.req.param('id')))) throw new NotFoundError()
    return c.json({ data: await subscribers(db, c.req.param('id')), next_cursor: null })
  })
