import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { render } from '../web/render.ts'
import { duplicatePairs } from './duplicates.repo.ts'
import type { MergeEntity } from './links.ts'

const LIMIT = 100

/** GET /duplicates?type=organisations|contacts: likely pairs, each with a link to compare and merge. */
export const duplicatesPage = new Hono<AppEnv>().get('/', requireRole('editor'), async (c) => {
  const type: MergeEntity = c.req.query('type') === 'contacts' ? 'contacts' : 'organisations'
  const pairs = await duplicatePairs(c.get('db'), type, LIMIT)
  return render(c, 'merge/duplicates', { title: c.get('t')('dup.title'), type, pairs, limit: LIMIT })
})
