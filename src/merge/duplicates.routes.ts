import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { render } from '../web/render.ts'
import { duplicatePairs, WINDOW } from './duplicates.repo.ts'
import type { MergeEntity } from './links.ts'

const LIMIT = 100

/** GET /duplicates?type=organisations|contacts&page=n: likely pairs, each with a link to compare and merge. */
export const duplicatesPage = new Hono<AppEnv>().get('/', requireRole('editor'), async (c) => {
  const type: MergeEntity = c.req.query('type') === 'contacts' ? 'contacts' : 'organisations'
  const page = Math.min(Math.max(Number.parseInt(c.req.query('page') ?? '0', 10) || 0, 0), 1000)
  const { pairs, more } = await duplicatePairs(c.get('db'), type, { limit: LIMIT, page })
  return render(c, 'merge/duplicates', { title: c.get('t')('dup.title'), type, pairs, limit: LIMIT, page, more, window: WINDOW })
})
