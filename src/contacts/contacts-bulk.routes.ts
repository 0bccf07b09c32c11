import { mayShowContact } from '../privacy/visibility.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { setFlash } from '../web/flash.ts'
import { formValues, listOf } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { csvTable } from '../web/list.ts'
import { parseOrThrow } from '../web/validate.ts'
import { contactList } from './contacts.list.ts'
import { findContact } from './contacts.repo.ts'
import { bulkAdd } from './contacts.service.ts'

const selection = z.array(z.uuid()).min(1, 'list.nothing_selected').max(1000)
const bulkForm = z.object({
  id: selection,
  action: z.enum(['tag', 'theme']),
  tag: z.string().trim().max(50).optional(),
  theme_id: z.uuid().optional(),
})

export const contactsBulk = new Hono<AppEnv>()
  .post('/bulk', requireRole('editor'), async (c) => {
    const f = await formValues(c)
    const input = parseOrThrow(c, bulkForm, {
      id: listOf(f.id),
      action: f.action,
      tag: typeof f.tag === 'string' && f.tag.trim() ? f.tag : undefined,
      theme_id: typeof f.theme_id === 'string' && f.theme_id ? f.theme_id : undefined,
    })
    const add = input.action === 'tag' ? { tags: input.tag ? [input.tag] : [] } : { theme_ids: input.theme_id ? [input.theme_id] : [] }
    await bulkAdd(c.get('db'), input.id, add, { userId: c.get('user')!.id })
    setFlash(c, 'list.bulk_done')
    return redirectAfterWrite(c, typeof f.back === 'string' && f.back.startsWith('/contacts') ? f.back : '/contacts')
  })
  .get('/export', requireRole('viewer'), async (c) => {
    const ids = parseOrThrow(c, selection, c.req.queries('id') ?? [])
    const db = c.get('db')
    // A file leaves the register: nobody with protected identity or restricted processing, whoever asks.
    const rows = (await Promise.all(ids.map((id) => findContact(db, id)))).filter((x): x is NonNullable<typeof x> => x !== undefined && mayShowContact('export', x))
    return csvTable(c, contactList, rows)
  })
