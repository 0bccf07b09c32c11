import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { dropEmpty } from '../register/list-query.ts'
import { parseOrThrow } from '../web/validate.ts'
import { networkQuery } from './network.schema.ts'
import { networkView } from './view.ts'

export const networkApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const q = parseOrThrow(c, networkQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    const view = await networkView(c.get('db'), q, { anonymousLabel: c.get('t')('graph.anonymous') })
    return c.json(view)
  })
