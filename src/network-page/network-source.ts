import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { measureLists } from '../network/measures.ts'
import { measureOffThread } from '../network/measures-off-thread.ts'
import { changesQuery, networkQuery } from '../network/network.schema.ts'
import { networkChanges, networkView, type View } from '../network/view.ts'
import { viewOptions } from '../network/view-options.ts'
import { parseOrThrow } from '../web/validate.ts'
import type { NetworkPageQuery } from './network-page.schema.ts'

/** A node or edge of the view as the page reads it (the API's, plus the marks of a "changes" view). */
export type ViewNode = Omit<View['nodes'][number], 'type'> & { type: string; size?: number; change?: 'added' | 'removed' }
export type ViewEdge = Omit<View['edges'][number], 'type'> & { type: string; change?: 'gained' | 'lost' }
export type PageView = Omit<View, 'nodes' | 'edges'> & { nodes: ViewNode[]; edges: ViewEdge[]; changes?: { from: string; to: string; gained: number; lost: number } }

const MANY = ['theme_id', 'kind', 'county', 'category', 'alliance_status', 'hl_theme_id', 'hl_kind', 'hl_county', 'hl_category', 'hl_alliance_status'] as const

/**
 * The JSON API's query (`GET /api/v1/network`) for what the page shows: the filters, highlight,
 * time and ego settings under the API's own names. The page's drawing settings stay out, and so
 * does clustering unless chosen (files for Gephi are of the real graph).
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
  if (q.mode === 'at' && q.at) {
    p.set('at', q.at)
    if (q.unlinked === 'hide') p.set('unlinked', 'hide')
  }
  if (q.people === 'fold') {
    p.set('fold', 'people')
    for (const u of q.unfold) p.append('unfold', u)
  }
  if (q.cluster !== 'auto') p.set('cluster', q.cluster)
  for (const e of q.expand) p.append('expand', e)
  return p
}

/**
 * Up to this many nodes fCoSE lays the view out in the browser (about half a second on a slow
 * machine at 400); larger views come with the server's ForceAtlas2 positions, computed once for
 * the day's whole graph and cached (bench/README.md, "Network in the browser").
 */
export const BROWSER_LAYOUT_MAX = 400

/** Whether the page shows the changes between two days (both given). */
export function showsChanges(q: NetworkPageQuery): q is NetworkPageQuery & { from: string; to: string } {
  return q.mode === 'changes' && !!q.from && !!q.to
}

function asQuery(p: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, v] of p) (out[k] ??= []).push(v)
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]))
}

/** The view the API would answer for the page's query, computed in-process (one request, not two). */
export async function loadView(c: Context<AppEnv>, q: NetworkPageQuery): Promise<PageView> {
  const db = c.get('db')
  if (showsChanges(q)) return loadChanges(c, q)
  const api = parseOrThrow(c, networkQuery, asQuery(apiParams(q)))
  // Another layout than the force-directed one is the browser's: no positions needed from the server.
  const layout = q.layout === 'fcose' ? undefined : 'none'
  return (await networkView(db, { ...api, cluster: q.cluster, layout }, { ...viewOptions(c), layoutThreshold: BROWSER_LAYOUT_MAX, previousPlaces: true, staleWhileComputing: true })) as PageView
}

/** Edges gained and lost between two days, on the `to` view with its measures. */
async function loadChanges(c: Context<AppEnv>, q: NetworkPageQuery & { from: string; to: string }): Promise<PageView> {
  const p = apiParams(q)
  for (const k of ['cluster', 'expand', 'at']) p.delete(k)
  p.set('from', q.from)
  p.set('to', q.to)
  const x = await networkChanges(c.get('db'), parseOrThrow(c, changesQuery, asQuery(p)), viewOptions(c))
  const nodes = x.nodes as ViewNode[]
  const edges = x.edges as ViewEdge[]
  const present = nodes.filter((n) => n.change !== 'removed')
  const kept = new Set(present.map((n) => n.id))
  const live = edges.filter((e) => e.change !== 'lost' && kept.has(e.source) && kept.has(e.target))
  const m = await measureOffThread({ nodes: present, edges: live })
  const lists = measureLists(present, live, m, 20)
  return {
    nodes,
    edges,
    meta: {
      at: q.to,
      types: [],
      node_count: nodes.length,
      edge_count: edges.length,
      community_count: m.communityCount,
      betweenness_sampled: m.sampled,
      focus: q.focus ?? null,
      depth: q.focus ? q.depth : null,
      layout: 'client',
      cluster: null,
      expanded: [],
      data_version: '',
    },
    measures: { ...lists, bridge_edges: lists.bridge_edges.slice(0, 100), bridge_edge_count: lists.bridge_edges.length },
    changes: { from: x.from, to: x.to, gained: x.gained.length, lost: x.lost.length },
  }
}
