import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { dropEmpty } from '../register/list-query.ts'
import { themeTree, type ThemeNode } from '../themes/themes.repo.ts'
import { isPartial } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { layoutMap, QUADRANTS } from './stakeholder-map.layout.ts'
import { mapPoints } from './stakeholder-map.repo.ts'
import { MAP_TYPES, mapQuery, type MapQuery } from './stakeholder-map.schema.ts'
import { today } from '../register/vocabulary.ts'

/** A theme and everything below it: filtering by "Arbetsmarknadsintegration" includes "Validering". */
function withDescendants(tree: ThemeNode[], id: string): string[] {
  const out = new Set([id])
  // The tree lists parents before their children, so one pass reaches every level.
  for (const th of tree) if (th.parent_id && out.has(th.parent_id)) out.add(th.id)
  return [...out]
}

/** The filters as a query string, for the links between the map and the list of those not assessed. */
function filterParams(q: MapQuery): string {
  const p = new URLSearchParams()
  if (q.theme_id) p.set('theme_id', q.theme_id)
  for (const k of q.kind) p.append('kind', k)
  if (q.type) p.set('type', q.type)
  return p.toString()
}

export const stakeholderMap = new Hono<AppEnv>().get('/', requireRole('viewer'), async (c) => {
  const db = c.get('db')
  const query = parseOrThrow(c, mapQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
  const themes = await themeTree(db)
  const themeIds = query.theme_id ? withDescendants(themes, query.theme_id) : []
  const layout = layoutMap(await mapPoints(db, { themeIds, kinds: query.kind, type: query.type, today: today() }))
  const data = {
    title: c.get('t')('smap.title'), query, themes, kinds: KINDS, types: MAP_TYPES, quadrants: QUADRANTS, layout, filters: filterParams(query),
  }
  return render(c, isPartial(c) ? 'stakeholder-map/_results' : 'stakeholder-map/index', data)
})
