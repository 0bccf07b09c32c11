import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { requireRole } from '../auth/roles.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import type { Executor } from '../db/write.ts'
import { listLists } from '../newsletter/lists.repo.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { ATTENDANCES } from '../plans/plans.schema.ts'
import { explicitTargets } from '../plans/plan-view.ts'
import { COUNTIES } from '../register/counties.ts'
import { dropEmpty } from '../register/list-query.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues, listOf } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { readList } from '../web/list.ts'
import { render } from '../web/render.ts'
import { idParam, parseOrThrow } from '../web/validate.ts'
import { segmentMembers } from './segments.api.ts'
import { segmentList } from './segments.list.ts'
import { createSegment as createSchema, segmentDefinition, segmentFromForm } from './segments.schema.ts'
import { countDefinition, countMembers, createSegment, findSegment, segmentUses, updateSegment, type Segment } from './segments.service.ts'

type Values = Record<string, string | string[]>

const CHOICES = { kinds: KINDS, categories: CATEGORIES, counties: COUNTIES, attendances: ATTENDANCES }

/** What the form offers besides fixed lists: themes, alliances, bodies, recent activities, newsletter lists. */
async function choices(db: Executor, chosenActivities: string[]) {
  const [themes, alliances, bodies, activities, lists] = await Promise.all([
    themeTree(db),
    db.selectFrom('alliances').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').limit(500).execute(),
    db.selectFrom('bodies').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').limit(500).execute(),
    db.selectFrom('activities').select(['id', 'title', 'start_date']).where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('id', 'in', db.selectFrom('activities').select('id').where('deleted_at', 'is', null).orderBy('start_date', 'desc').orderBy('id').limit(100)),
        ...(chosenActivities.length ? [eb('id', 'in', chosenActivities)] : [])]))
      .orderBy('start_date', 'desc').orderBy('id').execute(),
    listLists(db),
  ])
  return { themes, alliances, bodies, activities, lists }
}

/** The form's count: the members the typed definition would have (0 while it does not parse). */
async function liveCount(db: Executor, values: Values): Promise<number | null> {
  const { filter, include_ids, exclude_ids } = segmentFromForm(values)
  const parsed = segmentDefinition.safeParse({ filter, include_ids, exclude_ids })
  return parsed.success ? countDefinition(db, parsed.data) : null
}

async function showForm(c: Context<AppEnv>, segment: Segment | null, values: Values, errors: Record<string, string>, status = 200, stored?: Segment) {
  const db = c.get('db')
  const [explicit, included, excluded, lists, count] = await Promise.all([
    explicitTargets(db, listOf(values.organisation_ids), []),
    explicitTargets(db, [], listOf(values.include_ids)),
    explicitTargets(db, [], listOf(values.exclude_ids)),
    choices(db, listOf(values.activity_ids)),
    liveCount(db, values),
  ])
  const t = c.get('t')
  const title = segment ? `${t('segment.edit')}: ${segment.name}` : t('segment.new')
  return render(c, 'segments/form', {
    title, segment, values, errors, stored, count, ...CHOICES, ...lists,
    organisations: explicit.organisations, included: included.contacts, excluded: excluded.contacts,
  }, status)
}

function valuesOf(s: Segment): Values {
  const f = s.filter
  return {
    name: s.name, description: s.description ?? '', version: String(s.version),
    categories: f.categories ?? [], counties: f.counties ?? [], theme_ids: f.theme_ids ?? [], tags: (f.tags ?? []).join(', '),
    title: f.title ?? '', affiliated_kinds: f.affiliated_kinds ?? [], organisation_ids: f.organisation_ids ?? [],
    alliance_ids: f.alliance_ids ?? [], body_ids: f.body_ids ?? [], activity_ids: f.activity_ids ?? [], attendance: f.attendance ?? [],
    list_ids: f.list_ids ?? [], include_ids: s.include_ids, exclude_ids: s.exclude_ids,
  }
}

/** The API's field paths (filter.categories) as the form's names (categories). */
function formErrors(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^filter\./, ''), v]))
}

async function save(c: Context<AppEnv>, segment: Segment | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  return saveForm(c, {
    record: segment, values, parsed: createSchema.safeParse(segmentFromForm(values)), messages: formErrors,
    write: (data, version) => (segment ? updateSegment(db, segment.id, version, data, actor) : createSegment(db, data, actor)),
    reload: (stored) => findSegment(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/segments/${saved.id}`),
  })
}

/** A description of the stored filter for the segment's page: each field's label and values. */
async function filterSummary(c: Context<AppEnv>, s: Segment): Promise<{ label: string; values: string[] }[]> {
  const t = c.get('t')
  const db = c.get('db')
  const f = s.filter
  const names = async (table: 'themes' | 'alliances' | 'bodies' | 'newsletter_lists', ids: string[] = []) => {
    if (!ids.length) return []
    const rows = await db.selectFrom(table as 'themes').select(['id', 'name']).where('id', 'in', ids).execute()
    const byId = new Map(rows.map((r) => [r.id, r.name]))
    return ids.map((id) => byId.get(id) ?? id)
  }
  const activities = f.activity_ids?.length ? await db.selectFrom('activities').select(['id', 'title']).where('id', 'in', f.activity_ids).execute() : []
  const orgs = (await explicitTargets(db, f.organisation_ids ?? [], [])).organisations.map((o) => o.name)
  const out: { label: string; values: string[] }[] = [
    { label: t('segment.filter.categories'), values: (f.categories ?? []).map((v) => t(`category.${v}` as never)) },
    { label: t('segment.filter.counties'), values: f.counties ?? [] },
    { label: t('segment.filter.theme_ids'), values: await names('themes', f.theme_ids) },
    { label: t('segment.filter.tags'), values: f.tags ?? [] },
    { label: t('segment.filter.title'), values: f.title ? [f.title] : [] },
    { label: t('segment.filter.affiliated_kinds'), values: (f.affiliated_kinds ?? []).map((v) => t(`kind.${v}` as never)) },
    { label: t('segment.filter.organisation_ids'), values: orgs },
    { label: t('segment.filter.alliance_ids'), values: await names('alliances', f.alliance_ids) },
    { label: t('segment.filter.body_ids'), values: await names('bodies', f.body_ids) },
    { label: t('segment.filter.activity_ids'), values: activities.map((a) => a.title) },
    { label: t('segment.filter.attendance'), values: (f.attendance ?? []).map((v) => t(`plan.attendance.${v}` as never)) },
    { label: t('segment.filter.list_ids'), values: await names('newsletter_lists', f.list_ids) },
  ]
  return out.filter((x) => x.values.length)
}

const rowQuery = z.strictObject({
  name: z.enum(['include_ids', 'exclude_ids', 'organisation_ids']),
  include_ids: z.uuid().optional(),
  exclude_ids: z.uuid().optional(),
  organisation_ids: z.uuid().optional(),
})

export const segmentPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const list = readList(c, segmentList)
    if (list.csv) return list.csv()
    const title = c.get('t')(list.query.deleted ? 'segment.deleted_title' : 'segment.list_title')
    const data = { title, page: await list.page(), query: list.query, list: list.links }
    return render(c, isPartial(c) ? 'segments/_results' : 'segments/index', data)
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, {}, {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  // The form's live count (htmx, as the filter changes): nothing is saved.
  .post('/count', requireRole('editor'), async (c) => {
    const count = await liveCount(c.get('db'), await formValues(c))
    return render(c, 'segments/_count', { count })
  })
  // "Add" beside a picker (htmx): one more ticked row in that chosen list.
  .get('/pick-row', requireRole('editor'), async (c) => {
    const q = parseOrThrow(c, rowQuery, dropEmpty(c.req.query()))
    const id = q[q.name]
    if (!id) return c.body(null, 204)
    const found = q.name === 'organisation_ids' ? await explicitTargets(c.get('db'), [id], []) : await explicitTargets(c.get('db'), [], [id])
    const row = q.name === 'organisation_ids' ? found.organisations[0] : found.contacts[0]
    if (!row) return c.body(null, 204)
    return render(c, 'segments/_chosen', { name: q.name, id: row.id, label: row.name })
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const segment = await findSegment(db, c.req.param('id'))
    if (!segment) throw new NotFoundError()
    const members = segmentMembers(c, segment.id, `/segments/${segment.id}`)
    if (members.csv) return members.csv()
    const [page, count, summary, uses, timeline] = await Promise.all([
      members.page(),
      countMembers(db, { ids: [segment.id] }),
      filterSummary(c, segment),
      segmentUses(db, segment.id),
      auditTimeline(db, 'segment', segment.id),
    ])
    const data = { title: segment.name, segment, page, query: members.query, list: members.links, count: count.get(segment.id) ?? 0, summary, uses, timeline }
    return render(c, isPartial(c) ? 'segments/_members' : 'segments/show', data)
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const segment = await findSegment(c.get('db'), c.req.param('id'))
    if (!segment) throw new NotFoundError()
    return showForm(c, segment, valuesOf(segment), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const segment = await findSegment(c.get('db'), c.req.param('id'))
    if (!segment) throw new NotFoundError()
    return save(c, segment)
  })
