import { personContexts } from '../contacts/person-context.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import type { Plan } from '../db/schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formatDate } from '../web/format.ts'
import { formValues, listOf } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { aggregateItems, coverageMatrix } from './coverage.ts'
import { percentReached } from './plan-progress.ts'
import { explicitTargets, filterSummary, LINK_LIMIT, planActivityHref, TARGETS_SHOWN } from './plan-view.ts'
import { planList } from './plans.list.ts'
import { readList } from '../web/list.ts'
import { findSegment, segmentChoices } from '../segments/segments.service.ts'
import { activityTitles, productChoices, productTitles } from './plans.repo.ts'
import { ATTENDANCES, createPlan as createSchema, planFromForm, STATUSES, target as targetSchema } from './plans.schema.ts'
import { targetSize } from './plan-targets.ts'
import { countsOf, createPlan, findPlan, noteTargetSize, progressOf, updatePlan } from './plans.service.ts'
import { themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

const today = () => formatDate(new Date())
const CHOICES = { statuses: STATUSES, attendances: ATTENDANCES, kinds: KINDS, categories: CATEGORIES, counties: COUNTIES }

async function showForm(c: Context<AppEnv>, plan: Plan | null, values: Values, errors: Record<string, string>, status = 200, stored?: Plan) {
  const db = c.get('db')
  const [explicit, themes, products, size, segments] = await Promise.all([
    explicitTargets(db, listOf(values.organisation_ids), listOf(values.contact_ids)),
    themeTree(db),
    productChoices(db),
    sizeOfForm(c, values),
    segmentChoices(db),
  ])
  const t = c.get('t')
  const title = plan ? `${t('plan.edit')}: ${plan.name}` : t('plan.new')
  return render(c, 'plans/form', { title, plan, values, errors, stored, explicit, themes, products, size, segments, ...CHOICES }, status)
}

function valuesOf(p: Plan): Values {
  const f = p.target.filter ?? {}
  return {
    name: p.name, goal: p.goal ?? '', deadline: p.deadline ?? '', status: p.status, version: String(p.version),
    organisation_ids: p.target.organisation_ids ?? [], contact_ids: p.target.contact_ids ?? [],
    filter_kinds: f.kinds ?? [], filter_categories: f.categories ?? [], filter_counties: f.counties ?? [],
    filter_theme_ids: f.theme_ids ?? [], filter_affiliated_kinds: f.affiliated_kinds ?? [],
    filter_title: (typeof f.title === 'string' ? [f.title] : (f.title ?? [])).join(', '), filter_tags: (f.tags ?? []).join(', '), segment_id: p.target.segment_id ?? '',
    theme_ids: p.theme_ids, product_ids: p.product_ids, qualifying_attendance: p.qualifying_attendance,
  }
}

/** Validates the form, saves, and answers with the plan or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, plan: Plan | null) {
  const db = c.get('db')
  const values = await formValues(c)
  const actor = { userId: c.get('user')!.id }
  return saveForm(c, {
    record: plan, values, parsed: createSchema.safeParse(planFromForm(values)), messages: formErrors,
    write: (data, version) => (plan ? updatePlan(db, plan.id, version, data, actor) : createPlan(db, data, actor)),
    reload: (stored) => findPlan(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/plans/${saved.id}`),
  })
}

/** The size today of the target group the form describes; null while the form's target is not valid. */
async function sizeOfForm(c: Context<AppEnv>, values: Values): Promise<{ organisations: number; contacts: number } | null> {
  const parsed = targetSchema.safeParse(planFromForm(values).target)
  return parsed.success ? targetSize(c.get('db'), parsed.data, today()) : null
}

/** The API's field paths (target.filter.kinds) as the form's field names (filter_kinds). */
function formErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, message] of Object.entries(fields)) {
    const name = key.replace(/^target\.filter\.([a-z_]+).*$/, 'filter_$1').replace(/^target\.([a-z_]+).*$/, '$1').replace(/^([a-z_]+)\.\d+$/, '$1')
    out[name] ??= message
  }
  return out
}

export const planPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, planList)
    if (list.csv) return list.csv()
    const { query } = list
    const page = await list.page()
    const { plans, counts } = await countsOf(db, page.data, today())
    const title = c.get('t')(query.deleted ? 'plan.deleted_title' : 'plan.list_title')
    const data = { title, page: { ...page, data: plans }, counts, query, list: list.links, statuses: STATUSES, today: today(), percentReached }
    return render(c, isPartial(c) ? 'plans/_results' : 'plans/index', data)
  })
  // The target group's size while it is edited (htmx, the whole form sent along).
  .get('/target-count', requireRole('editor'), async (c) => {
    const values: Values = {}
    for (const [key, list] of Object.entries(c.req.queries())) values[key] = list.length === 1 ? list[0]! : list
    return render(c, 'plans/_target-count', { size: await sizeOfForm(c, values) })
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { status: 'draft', qualifying_attendance: ['attended', 'received'] }, {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const found = await findPlan(db, c.req.param('id'))
    if (!found) throw new NotFoundError()
    const day = today()
    const { plan, progress } = await progressOf(db, found, day, { withCoverage: true })
    const all = c.req.query('show') === 'all'
    const shown = { not_reached: all ? progress.not_reached : progress.not_reached.slice(0, TARGETS_SHOWN), reached: all ? progress.reached : progress.reached.slice(0, TARGETS_SHOWN) }
    const via = [...new Set(shown.reached.flatMap((r) => r.via_activity_ids))]
    const filterThemes = plan.target.filter?.theme_ids ?? []
    const segmentId = plan.target.segment_id
    const [themes, products, activities, explicit, timeline, segment] = await Promise.all([
      themeNames(db, [...new Set([...plan.theme_ids, ...filterThemes])]),
      productTitles(db, plan.product_ids),
      activityTitles(db, via),
      explicitTargets(db, plan.target.organisation_ids ?? [], plan.target.contact_ids ?? []),
      auditTimeline(db, 'plan', plan.id),
      segmentId ? findSegment(db, segmentId, { withDeleted: true }) : undefined,
    ])
    const contexts = await personContexts(db, shown.not_reached.filter((r) => r.type === 'contact').map((r) => r.id), day)
    const sizeChange = await noteTargetSize(db, plan.id, {
      contacts: progress.targets.filter((x) => x.type === 'contact').length,
      organisations: progress.targets.filter((x) => x.type !== 'contact').length,
    })
    const counts = aggregateItems(progress.targets.map((x) => ({ ...x, reached: x.via_activity_ids.length > 0 })))
    const coverage = [coverageMatrix(counts, 'contact'), coverageMatrix(counts, 'organisation')].filter((m) => m.rows.length)
    const t = c.get('t')
    return render(c, 'plans/show', {
      title: plan.name, plan, progress, shown, segment, contexts, sizeChange, sizeChangedOn: sizeChange ? formatDate(sizeChange.changed_at) : null, themes, products, activities, explicit, timeline, coverage, labelPrefix: 'plan.', today: day,
      filterText: filterSummary(plan.target.filter, themes, t), percent: percentReached(progress),
      justAchieved: found.status !== plan.status, linkLimit: LINK_LIMIT,
      planActivityHref: progress.not_reached.length <= LINK_LIMIT ? planActivityHref(plan.id, progress.not_reached) : null,
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const plan = await findPlan(c.get('db'), c.req.param('id'))
    if (!plan) throw new NotFoundError()
    return showForm(c, plan, valuesOf(plan), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const plan = await findPlan(c.get('db'), c.req.param('id'))
    if (!plan) throw new NotFoundError()
    return save(c, plan)
  })
