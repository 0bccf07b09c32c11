import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { audienceOf } from '../privacy/visibility.ts'
import { isPartial } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { queryValues, searchQuery } from './search.schema.ts'
import { MIN_QUERY_LENGTH, searchGroups } from './search.service.ts'
import { SEARCH_SOURCES } from './sources.ts'
import { foldForSearch } from '../register/search-text.ts'

export const searchPages = new Hono<AppEnv>().get('/', requireRole('viewer'), async (c) => {
  const { q, types } = parseOrThrow(c, searchQuery, queryValues(c.req.queries()))
  const groups = await searchGroups(c.get('db'), q, types, undefined, audienceOf(c))
  const data = {
    title: q ? c.get('t')('search.title_for', { q }) : c.get('t')('search.title'),
    q,
    types,
    sources: SEARCH_SOURCES,
    groups,
    tooShort: q !== '' && foldForSearch(q).length < MIN_QUERY_LENGTH,
  }
  return render(c, isPartial(c) ? 'search/_results' : 'search/index', data)
})
