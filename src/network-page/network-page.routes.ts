import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { STATUSES as ALLIANCE_STATUSES } from '../alliances/alliances.schema.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import type { Executor } from '../db/write.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { dropEmpty } from '../register/list-query.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { isPartial } from '../web/htmx.ts'
import { isMessageKey } from '../web/i18n.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { changeRows, communityColours, edgeTable, hrefWith, jsonIsland, nodeTable, recordHref, sortDir, summaryText } from './network-page.data.ts'
import { CLUSTERS, COLOURS, LAYOUTS, networkPageQuery, NODE_TYPES, REACH, SIZES } from './network-page.schema.ts'
import { apiParams, loadView } from './network-source.ts'
import { EDGE_TYPES, today } from '../register/vocabulary.ts'

const DEFAULT_TYPES = NODE_TYPES.filter((t) => t !== 'theme')

/** The first day anything in the register was dated: where the time slider starts. */
async function firstDay(db: Executor): Promise<string> {
  const { rows } = await sql<{ first: string | null }>`
    select least(
      (select min(start_date) from affiliations), (select min(start_date) from body_seats),
      (select min(start_date) from organisation_relationships), (select min(start_date) from alliances),
      (select min(start_date) from projects))::text as first`.execute(db)
  return rows[0]?.first ?? `${new Date().getUTCFullYear() - 10}-01-01`
}

export const networkPage = new Hono<AppEnv>().get('/', requireRole('viewer'), async (c) => {
  const db = c.get('db')
  const t = c.get('t')
  const raw = dropEmpty(c.req.queries() as Record<string, string[]>)
  const q = parseOrThrow(c, networkPageQuery, raw)
  const view = await loadView(c, q)
  const current = new URLSearchParams()
  for (const [k, v] of Object.entries(raw)) for (const x of [v].flat()) current.append(k, x)

  const typeLabel = (type: string) => (isMessageKey(`netpage.one.${type}`) ? t(`netpage.one.${type}` as never) : type)
  const edgeTypeLabel = (type: string) => (isMessageKey(`netpage.edge_type.${type}`) ? t(`netpage.edge_type.${type}` as never) : type.replace(/_/g, ' '))
  const colour = q.colour ?? (q.plan_id ? 'plan' : 'type')
  const { colours, groups } = communityColours(view.nodes)
  // The controls stay on the page when htmx swaps the results: their choices are needed only once.
  const partial = isPartial(c)
  const [themes, plans, first] = partial
    ? [[], [], '']
    : await Promise.all([
      themeTree(db),
      db.selectFrom('plans').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').execute(),
      firstDay(db),
    ])
  // Files for Gephi and spreadsheets are of every node: people are not folded there.
  const apiFull = apiParams(q)
  apiFull.delete('fold')
  apiFull.delete('unfold')
  const api = apiFull.toString()
  const focusNode = q.focus ? view.nodes.find((n) => n.id === q.focus) : undefined

  const data = {
    title: t('netpage.title'),
    q,
    view,
    colour,
    types: q.types.length ? q.types : DEFAULT_TYPES,
    nodeTypes: NODE_TYPES,
    kinds: KINDS,
    counties: COUNTIES,
    categories: CATEGORIES,
    allianceStatuses: ALLIANCE_STATUSES,
    reach: REACH,
    sizes: SIZES,
    colours: COLOURS,
    layouts: LAYOUTS,
    clusters: CLUSTERS,
    themes,
    plans,
    slider: { first, last: today(), value: q.at ?? today() },
    focusLabel: focusNode?.label ?? null,
    groups,
    summary: summaryText(view, t),
    changeList: changeRows(view),
    typeLabel,
    edgeTypeLabel,
    recordHref,
    href: (changes: Record<string, string | null>) => hrefWith(current, changes),
    sortDir,
    island: jsonIsland,
    oob: partial,
    nodes: q.view === 'table' ? nodeTable(view, q, typeLabel) : null,
    edges: q.view === 'table' ? edgeTable(view, q, edgeTypeLabel) : null,
    exports: {
      graphml: `/api/v1/network?${withParam(api, 'format', 'graphml')}`,
      gexf: `/api/v1/network?${withParam(api, 'format', 'gexf')}`,
      csvNodes: `/api/v1/network?${withParam(withParam(api, 'format', 'csv'), 'part', 'nodes')}`,
      csvEdges: `/api/v1/network?${withParam(withParam(api, 'format', 'csv'), 'part', 'edges')}`,
    },
    // What the script needs besides the graph itself: drawing settings and words, never markup.
    settings: {
      size: q.size,
      colour,
      layout: q.layout,
      select: q.select ?? null,
      communityColours: colours,
      communityNames: Object.fromEntries(groups.filter((g) => g.name).map((g) => [String(g.community), g.name])),
      words: {
        types: Object.fromEntries([...NODE_TYPES, 'cluster'].map((ty) => [ty, typeLabel(ty)])),
        found: t('netpage.found', { name: '{name}' }),
        foundOf: t('netpage.found_of', { name: '{name}', n: '{n}', count: '{count}' }),
        notFound: t('netpage.not_found'),
        shown: t('netpage.shown', { nodes: '{nodes}', edges: '{edges}' }),
        loading: t('netpage.loading'),
        edge: t('netpage.edge'),
        edgeLoading: t('netpage.edge_loading'),
        edgeFailed: t('netpage.edge_failed'),
        edgeBecause: t('netpage.edge_because'),
        degree: t('netpage.degree'),
        betweenness: t('netpage.betweenness'),
        community: t('netpage.community'),
        pngTitle: t('netpage.png_title'),
        pngAt: t('netpage.png_at', { day: '{day}' }),
        legend: t('netpage.legend'),
        groupNamed: t('netpage.group_named', { name: '{name}' }),
        weight: t('netpage.weight'),
        openRecord: t('netpage.open_record'),
        expand: t('netpage.expand'),
        people: t('netpage.people'),
        peopleBadge: t('netpage.people_badge', { name: '{name}', n: '{n}' }),
        unfold: t('netpage.unfold', { n: '{n}' }),
        focusOn: t('netpage.focus_on', { name: '{name}' }),
        focusHere: t('netpage.focus_here'),
        edgeTypes: Object.fromEntries(
          [...EDGE_TYPES, 'aggregate'].map((ty) => [ty, edgeTypeLabel(ty)]),
        ),
      },
    },
  }
  return render(c, partial ? 'network/_results' : 'network/index', data)
})

function withParam(query: string, key: string, value: string): string {
  const p = new URLSearchParams(query)
  p.set(key, value)
  return p.toString()
}
