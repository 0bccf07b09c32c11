import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { networkQuery } from '../network/network.schema.ts'
import { networkView, type View } from '../network/view.ts'
import { parseOrThrow } from '../web/validate.ts'
import type { NetworkPageQuery } from './network-page.schema.ts'

export type { View }
export type ViewNode = View['nodes'][number]
export type ViewEdge = View['edges'][number] & { change?: 'gained' | 'lost' }

const MANY = ['theme_id', 'kind', 'county', 'category', 'alliance_status', 'hl_theme_id', 'hl_kind', 'hl_county', 'hl_category', 'hl_alliance_status'] as const

/**
 * The JSON API's query (`GET /api/v1/network`) for what the page shows: the filters, highlight,
 * time and ego settings under the API's own names. The page's drawing settings stay out.
 */
export function apiParams(q: NetworkPageQuery): URLSearchParams {
  const p = new URLSearchParams()
  if (q.types.length) p.set('types', q.types.join(','))
  for (const k of MANY) for (const v of q[k]) p.append(k, v)
  if (q.plan_id) {
    p.set('plan_id', q.plan_id)
    if (q.plan_reach) p.set('plan_reach', q.plan_reach)
    if (q.hl_plan_reach) p.set('hl_plan_reach', q.hl_plan_reach)
  }
  if (q.focus) {
    p.set('focus', q.focus)
    p.set('depth', String(q.depth))
  }
  if (q.mode === 'changes') {
    if (q.from) p.set('from', q.from)
    if (q.to) p.set('to', q.to)
  } else if (q.at) p.set('at', q.at)
  if (q.cluster !== 'auto') p.set('cluster', q.cluster)
  for (const e of q.expand) p.append('expand', e)
  return p
}

/** URLSearchParams as Hono's c.req.queries() gives them: every value a list. */
function asQueries(p: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, v] of p) (out[k] ??= []).push(v)
  return out
}

/** The view the API would answer for the page's query, computed in-process (one request, not two). */
export async function loadView(c: Context<AppEnv>, q: NetworkPageQuery): Promise<View> {
  const p = apiParams(q)
  p.delete('from')
  p.delete('to')
  const raw = Object.fromEntries(Object.entries(asQueries(p)).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]))
  return networkView(c.get('db'), parseOrThrow(c, networkQuery, raw), { anonymousLabel: c.get('t')('graph.anonymous') })
}
