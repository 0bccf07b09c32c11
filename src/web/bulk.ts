import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Expression, SqlBool } from 'kysely'
import { addToMany, type Taggable } from '../db/add-to-many.ts'
import type { Executor } from '../db/write.ts'
import { audienceOf, type Audience } from '../register/audience.ts'
import { setFlash } from './flash.ts'
import { formValues, listOf } from './form.ts'
import { redirectAfterWrite } from './htmx.ts'
import { csvTable } from './list.ts'
import { parseOrThrow } from './validate.ts'

const selection = z.array(z.uuid()).min(1, 'list.nothing_selected').max(1000)
const bulkForm = z.object({
  id: selection,
  action: z.enum(['tag', 'theme']),
  tag: z.string().trim().max(50).optional(),
  theme_id: z.uuid().optional(),
})

export interface BulkSpec<Out> {
  /** The list's page (`/contacts`): where the form goes back to, and the only place it may. */
  path: string
  /** The list, for the CSV of the chosen rows. */
  list: Parameters<typeof csvTable<Out>>[1]
  /** Where a tag or a theme is added to every chosen record (db/add-to-many.ts). */
  table: Taggable
  /** The records this reader may change, when not all of them (people: src/privacy/visibility.ts). */
  visible?: (audience: Audience) => Expression<SqlBool>
  /** The chosen records for a file, leaving out any a file may not hold. */
  rows: (db: Executor, ids: readonly string[]) => Promise<Out[]>
}

/**
 * What a list's selection does (mount under the list's path): `POST /bulk` adds a tag or a theme
 * to the ticked rows, `GET /export?id=…` downloads them as the list's CSV.
 */
export function bulkRoutes<Out>(spec: BulkSpec<Out>) {
  return new Hono<AppEnv>()
    .post('/bulk', requireRole('editor'), async (c) => {
      const f = await formValues(c)
      const input = parseOrThrow(c, bulkForm, {
        id: listOf(f.id),
        action: f.action,
        tag: typeof f.tag === 'string' && f.tag.trim() ? f.tag : undefined,
        theme_id: typeof f.theme_id === 'string' && f.theme_id ? f.theme_id : undefined,
      })
      const add = input.action === 'tag' ? { tags: input.tag ? [input.tag] : [] } : { theme_ids: input.theme_id ? [input.theme_id] : [] }
      await addToMany(c.get('db'), spec.table, input.id, add, { userId: c.get('user')!.id }, spec.visible?.(audienceOf(c)))
      setFlash(c, 'list.bulk_done')
      return redirectAfterWrite(c, typeof f.back === 'string' && f.back.startsWith(spec.path) ? f.back : spec.path)
    })
    .get('/export', requireRole('viewer'), async (c) => {
      const ids = parseOrThrow(c, selection, c.req.queries('id') ?? [])
      return csvTable(c, spec.list, await spec.rows(c.get('db'), ids))
    })
}
