import { readList } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { productsOfProject } from '../products/products.repo.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formatDate } from '../web/format.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { projectTimeline } from './project-timeline.ts'
import { projectList } from './projects.list.ts'
import { findProject, projectOptions, type ProjectRecord } from './projects.repo.ts'
import {
  createProject as createSchema, EMPTY_PARTNER, partnerRowsFromForm, PROGRAMMES, projectFromForm, STATUSES, type PartnerRow,
} from './projects.schema.ts'
import { createProject, updateProject } from './projects.service.ts'
import { organisationNames, themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

async function showForm(c: Context<AppEnv>, project: ProjectRecord | null, values: Values, rows: PartnerRow[], errors: Record<string, string>, status = 200, stored?: ProjectRecord) {
  const db = c.get('db')
  const lead = typeof values.lead_organisation_id === 'string' ? values.lead_organisation_id : ''
  const [names, themes] = await Promise.all([
    organisationNames(db, [...new Set([lead, ...rows.map((r) => r.organisation_id)].filter(Boolean))]),
    themeTree(db),
  ])
  // Always one empty row more: adding a partner needs no script.
  const partners = [...rows, EMPTY_PARTNER].map((r) => ({ ...r, organisation_name: names.get(r.organisation_id) }))
  const title = c.get('t')(project ? 'project.edit' : 'project.new') + (project ? `: ${project.name}` : '')
  return render(
    c,
    'projects/form',
    { title, project, values, partners, leadName: names.get(lead), errors, stored, themes, programmes: PROGRAMMES, statuses: STATUSES },
    status,
  )
}

function valuesOf(p: ProjectRecord): Values {
  return {
    name: p.name, programme: p.programme ?? '', start_date: p.start_date ?? '', end_date: p.end_date ?? '', status: p.status,
    lead_organisation_id: p.lead_organisation_id ?? '', theme_ids: p.theme_ids, evaluation: p.evaluation ?? '', notes: p.notes ?? '',
    version: String(p.version),
  }
}

const rowsOf = (p: ProjectRecord): PartnerRow[] => p.partners.map((x) => ({ id: x.id, organisation_id: x.organisation_id, role: x.role ?? '' }))

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, project: ProjectRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  const rows = partnerRowsFromForm(values)
  return saveForm(c, {
    record: project, values, parsed: createSchema.safeParse(projectFromForm(values)),
    write: (data, version) => (project ? updateProject(db, project.id, version, data, actor) : createProject(db, data, actor)),
    reload: (stored) => findProject(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, rows, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/projects/${saved.id}`),
  })
}

export const projectPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, projectList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes, organisations] = await Promise.all([list.page(), themeTree(db), organisationNames(db, query.organisation_id)])
    const title = c.get('t')(query.deleted ? 'project.deleted_title' : 'project.list_title')
    const data = { title, page, query, list: list.links, themes, organisations, programmes: PROGRAMMES, statuses: STATUSES }
    return render(c, isPartial(c) ? 'projects/_results' : 'projects/index', data)
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { status: 'running' }, [], {}))
  .get('/options', requireRole('viewer'), async (c) => {
    const options = await projectOptions(c.get('db'), c.req.query('q') ?? '')
    return render(c, 'projects/_options', { options })
  })
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const project = await findProject(db, c.req.param('id'))
    if (!project) throw new NotFoundError()
    const [themes, products] = await Promise.all([themeNames(db, project.theme_ids), productsOfProject(db, project.id)])
    const timeline = await projectTimeline(db, project, formatDate(new Date()))
    return render(c, 'projects/show', { title: project.name, project, themes, products, timeline, labelPrefix: 'project.' })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const project = await findProject(c.get('db'), c.req.param('id'))
    if (!project) throw new NotFoundError()
    return showForm(c, project, valuesOf(project), rowsOf(project), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const project = await findProject(c.get('db'), c.req.param('id'))
    if (!project) throw new NotFoundError()
    return save(c, project)
  })
