import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { audienceOf } from '../privacy/visibility.ts'
import { apiDoc } from '../web/openapi.ts'
import { parseOrThrow } from '../web/validate.ts'
import { queryValues, searchQuery } from './search.schema.ts'
import { searchAll } from './search.service.ts'

export const searchApi = new Hono<AppEnv>().get('/', requireRole('viewer'), apiDoc({ query: searchQuery }), async (c) => {
  const { q, types, limit } = parseOrThrow(c, searchQuery, queryValues(c.req.queries()))
  const hits = await searchAll(c.get('db'), q, types, limit, audienceOf(c))
  return c.json({
    data: hits.map((h) => ({ type: h.type, id: h.id, label: h.label, snippet: h.snippet, score: Math.round(h.score * 1000) / 1000, url: h.href })),
  })
})
