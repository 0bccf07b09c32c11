import { Hono, type Context } from 'hono'
import { sql } from 'kysely'
import { z } from 'zod'
import { createRecord, softDeleteRecord, updateRecord } from '../db/write.ts'
import { ForbiddenError, NotFoundError } from '../web/errors.ts'
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
import { redirectTo } from '../web/redirect.ts'
import { redirectAfterWrite, safeNext } from '../web/htmx.ts'
import { parseOrThrow } from '../web/validate.ts'
import { changeRows, communityColours, memberKey, withGivenNames, edgeTable, hrefWith, jsonIsland, nodeTable, recordHref, sortDir, summaryText } from './network-page.data.ts'
import { CLUSTERS, COLOURS, LAYOUTS, networkPageQuery, NODE_TYPES, REACH, SIZES } from './network-page.schema.ts'
import { apiParams, loadView, type ViewNode } from './network-source.ts'
import { EDGE_TYPES, today } from '../register/vocabulary.ts'
import { FOLDED } from '../register/search-text.ts'

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

/** What a saved view keeps of the page's address: not the table's paging, the selection or the saved view itself. */
const NOT_SAVED = new Set(['saved', 'select', 'page', 'epage', 'lang'])

function savedQuery(c: Parameters<typeof parseOrThrow>[0], query: string): string {
  const p = new URLSearchParams(query.replace(/^\?/, ''))
  for (const k of NOT_SAVED) p.delete(k)
  const raw: Record<string, string[]> = {}
  for (const [k, v] of p) (raw[k] ??= []).push(v)
  // The same rules as the page itself: a view that could not be opened is not stored.
  parseOrThrow(c, networkPageQuery, dropEmpty(raw))
  return p.toString()
}

const positionsField = z
  .string()
  .max(500_000)
  .transform((s, ctx) => {
    try {
      return JSON.parse(s || '{}') as unknown
    } catch {
      ctx.addIssue({ code: 'custom', message: 'validation.invalid' })
      return z.NEVER
    }
  })
  .pipe(z.record(z.string().max(300), z.strictObject({ x: z.number().finite(), y: z.number().finite() })).refine((r) => Object.keys(r).length <= 20_000))

const saveViewForm = z.strictObject({
  name: z.string().trim().min(1).max(200),
  query: z.string().max(8000).default(''),
  positions: positionsField,
})

const manageViewForm = z.strictObject({
  name: z.string().trim().min(1).max(200),
  version: z.coerce.number().int().positive(),
  back: z.string().max(8000).optional(),
})

/** A live saved view the signed-in user may change: their own, or any for an admin (404 when gone). */
/** The names users gave communities (few: one per group someone cared to name). */
function givenNames(db: Executor) {
  return db.selectFrom('community_names').select(['id', 'anchor_id', 'name', 'version', 'members']).where('deleted_at', 'is', null).orderBy('created_at').limit(1000).execute()
}

/** The nodes a view shows, as groups' members are written (memberKey). */
function presentMembers(nodes: readonly ViewNode[]): Set<string> {
  return new Set(nodes.filter((n) => n.type !== 'cluster' && n.community >= 0).map(memberKey))
}

/**
 * Who is in the group around `anchor` in the view the rename form was on (its `back` address):
 * what the name is kept by. Undefined when that view no longer has such a group.
 */
async function groupMembers(c: Parameters<typeof parseOrThrow>[0], back: string, anchor: string): Promise<string[] | undefined> {
  const params = new URL(back, 'http://localhost').searchParams
  const raw: Record<string, string[]> = {}
  for (const key of new Set(params.keys())) raw[key] = params.getAll(key)
  const parsed = networkPageQuery.safeParse(dropEmpty(raw))
  if (!parsed.success) return undefined
  const view = await loadView(c as Context<AppEnv>, parsed.data)
  return communityColours(view.nodes).groups.find((g) => g.anchor === anchor)?.members
}

async function ownView(c: Parameters<typeof parseOrThrow>[0]) {
  const row = await c.get('db').selectFrom('network_views').select(['id', 'created_by']).where('id', '=', c.req.param('id')!).where('deleted_at', 'is', null).executeTakeFirst()
  if (!row) throw new NotFoundError()
  const user = c.get('user')!
  if (row.created_by !== user.id && user.role !== 'admin') throw new ForbiddenError()
  return row
}

const renameForm = z.strictObject({
  /** The name the group has now, when it has one. */
  id: z.uuid().optional(),
  anchor: z.string().min(1).max(300),
  /** Empty: the group is named after its most central member again. */
  name: z.string().trim().max(200),
  version: z.coerce.number().int().positive().optional(),
  back: z.string().max(8000).optional(),
})

export const networkPage = new Hono<AppEnv>()
  // A saved view renamed or removed (soft, audited): by whoever saved it, or an admin.
  .post('/views/:id{[0-9a-fA-F-]{36}}/rename', requireRole('editor'), async (c) => {
    const body = await c.req.parseBody()
    const form = parseOrThrow(c, manageViewForm, { name: body.name, version: body.version, back: body.back })
    const row = await ownView(c)
    await updateRecord(c.get('db'), 'network_views', row.id, form.version, { name: form.name! }, { userId: c.get('user')!.id })
    return redirectAfterWrite(c, safeNext(form.back, '/network'))
  })
  .post('/views/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), async (c) => {
    const body = await c.req.parseBody()
    const form = parseOrThrow(c, manageViewForm.omit({ name: true }), { version: body.version, back: body.back })
    const row = await ownView(c)
    await softDeleteRecord(c.get('db'), 'network_views', row.id, { userId: c.get('user')!.id }, form.version)
    return redirectAfterWrite(c, safeNext(form.back, '/network'))
  })
  // A community renamed: kept by who is in it (withGivenNames), audited; an empty name gives the default back.
  .post('/communities', requireRole('editor'), async (c) => {
    const body = await c.req.parseBody()
    const form = parseOrThrow(c, renameForm, { id: body.id || undefined, anchor: body.anchor, name: body.name ?? '', version: body.version || undefined, back: body.back })
    const db = c.get('db')
    const actor = { userId: c.get('user')!.id }
    const back = safeNext(form.back, '/network?colour=community')
    // The name the group has now (the form says which), else one given to this anchor before.
    const current = await db.selectFrom('community_names').select(['id', 'version']).where('deleted_at', 'is', null)
      .where(form.id ? 'id' : 'anchor_id', '=', form.id ?? form.anchor).executeTakeFirst()
    if (form.id && !current) throw new NotFoundError()
    if (current && !form.name) {
      await softDeleteRecord(db, 'community_names', current.id, actor, form.version)
      return redirectAfterWrite(c, back)
    }
    if (!form.name) return redirectAfterWrite(c, back)
    // Who is in the group as the page showed it: what the name is kept by from now on.
    const members = await groupMembers(c, back, form.anchor)
    const kept = members ? { members: JSON.stringify(members) } : {}
    if (current) await updateRecord(db, 'community_names', current.id, form.version ?? current.version, { name: form.name, anchor_id: form.anchor, ...kept }, actor)
    else await createRecord(db, 'community_names', { anchor_id: form.anchor, name: form.name, created_by: actor.userId, ...kept }, actor)
    return redirectAfterWrite(c, back)
  })
  // A view to share: its name, the page's query and where the nodes lay. Kept for every colleague.
  .post('/views', requireRole('editor'), async (c) => {
    const body = await c.req.parseBody()
    const form = parseOrThrow(c, saveViewForm, { name: body.name, query: body.query ?? '', positions: body.positions ?? '{}' })
    const row = await createRecord(c.get('db'), 'network_views', {
      name: form.name,
      query: savedQuery(c, form.query),
      positions: JSON.stringify(form.positions),
      created_by: c.get('user')!.id,
    }, { userId: c.get('user')!.id })
    return redirectTo(c, `/network/views/${row.id}`)
  })
  // The link a colleague is sent: the page with the view's query, drawn with its positions.
  .get('/views/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), async (c) => {
    const row = await c.get('db').selectFrom('network_views').select(['id', 'query']).where('id', '=', c.req.param('id')).where('deleted_at', 'is', null).executeTakeFirst()
    if (!row) throw new NotFoundError()
    const p = new URLSearchParams(row.query)
    p.set('saved', row.id)
    return redirectTo(c, `/network?${p.toString()}`, 302)
  })
  .get('/', requireRole('viewer'), async (c) => {
  const db = c.get('db')
  const t = c.get('t')
  const raw = dropEmpty(c.req.queries() as Record<string, string[]>)
  const q = parseOrThrow(c, networkPageQuery, raw)
  const view = await loadView(c, q)
  // The page asking again for the view of the latest change (views/network/_results.eta): while it
  // would get the view it shows, nothing to swap (htmx swaps nothing on 204), and the graph is not
  // drawn again for nothing. A later one, even if not yet the newest (writes go on), is swapped in.
  if (view.meta.stale && c.req.header('HX-Trigger') === 'network-refresh' && c.req.header('X-Network-Shown') === view.meta.data_version) return c.body(null, 204)
  const current = new URLSearchParams()
  for (const [k, v] of Object.entries(raw)) for (const x of [v].flat()) current.append(k, x)

  const typeLabel = (type: string) => (isMessageKey(`netpage.one.${type}`) ? t(`netpage.one.${type}` as never) : type)
  const edgeTypeLabel = (type: string) => (isMessageKey(`netpage.edge_type.${type}`) ? t(`netpage.edge_type.${type}` as never) : type.replace(/_/g, ' '))
  const colour = q.colour ?? (q.plan_id ? 'plan' : 'type')
  const coloured = communityColours(view.nodes)
  const colours = coloured.colours
  const groups = withGivenNames(coloured.groups, coloured.groups.length ? await givenNames(db) : [], presentMembers(view.nodes))
  // The controls stay on the page when htmx swaps the results: their choices are needed only once.
  const partial = isPartial(c)
  const [themes, plans, first, savedViews] = partial
    ? [[], [], '', []]
    : await Promise.all([
      themeTree(db),
      db.selectFrom('plans').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').execute(),
      firstDay(db),
      db.selectFrom('network_views').select(['id', 'name', 'version', 'created_by']).where('deleted_at', 'is', null).orderBy('created_at', 'desc').limit(30).execute(),
    ])
  const saved = q.saved
    ? await db.selectFrom('network_views').select(['id', 'name', 'positions']).where('id', '=', q.saved).where('deleted_at', 'is', null).executeTakeFirst()
    : undefined
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
    savedViews,
    savedName: saved?.name ?? null,
    canSave: c.get('user')?.role !== 'viewer',
    // Who may rename or remove a saved view: whoever saved it, or an admin.
    canManage: (v: { created_by: string | null }) => c.get('user')?.role === 'admin' || (c.get('user')?.role !== 'viewer' && v.created_by === c.get('user')?.id),
    back: `/network${current.size ? `?${current}` : ''}`,
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
      // A saved view's layout: the page places its nodes where they were when it was saved.
      positions: saved ? saved.positions : null,
      communityColours: colours,
      // What a group is called on the canvas: the name a user gave it, else "around" its most central member.
      communityNames: Object.fromEntries(groups.filter((g) => g.custom || g.name).map((g) => [String(g.community), g.custom ? g.custom.name : t('netpage.group_named', { name: g.name! })])),
      // Finding a node folds names as every search does (foldText): "bjorn" finds Bjørn.
      foldedLetters: FOLDED,
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
