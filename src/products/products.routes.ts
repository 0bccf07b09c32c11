import { readList } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { findProject, projectNames } from '../projects/projects.repo.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { productList } from './products.list.ts'
import { findProduct, type ProductRecord } from './products.repo.ts'
import { createProduct as createSchema, GOOD_PRACTICE, KINDS, productFromForm } from './products.schema.ts'
import { createProduct, updateProduct } from './products.service.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

async function showForm(c: Context<AppEnv>, product: ProductRecord | null, values: Values, errors: Record<string, string>, status = 200, stored?: ProductRecord) {
  const db = c.get('db')
  const projectId = typeof values.project_id === 'string' ? values.project_id : ''
  const [names, themes] = await Promise.all([projectNames(db, projectId ? [projectId] : []), themeTree(db)])
  const title = c.get('t')(product ? 'product.edit' : 'product.new') + (product ? `: ${product.title}` : '')
  return render(
    c,
    'products/form',
    { title, product, values, projectName: names.get(projectId), errors, stored, themes, kinds: KINDS, goodPractice: GOOD_PRACTICE },
    status,
  )
}

function valuesOf(p: ProductRecord): Values {
  return {
    title: p.title, kind: p.kind, project_id: p.project_id ?? '', theme_ids: p.theme_ids, url: p.url ?? '', summary: p.summary ?? '',
    good_practice_status: p.good_practice_status ?? '', public: p.public ? 'true' : '', version: String(p.version),
  }
}

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, product: ProductRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  return saveForm(c, {
    record: product, values, parsed: createSchema.safeParse(productFromForm(values)),
    write: (data, version) => (product ? updateProduct(db, product.id, version, data, actor) : createProduct(db, data, actor)),
    reload: (stored) => findProduct(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/products/${saved.id}`),
  })
}

export const productPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, productList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes, projects] = await Promise.all([list.page(), themeTree(db), projectNames(db, query.project_id)])
    const title = c.get('t')(query.deleted ? 'product.deleted_title' : 'product.list_title')
    const data = { title, page, query, list: list.links, themes, projects, kinds: KINDS, goodPractice: GOOD_PRACTICE }
    return render(c, isPartial(c) ? 'products/_results' : 'products/index', data)
  })
  .get('/new', requireRole('editor'), async (c) => {
    // "Add a product" on a project's page names the project.
    const project = c.req.query('project_id')
    const live = project && /^[0-9a-f-]{36}$/i.test(project) ? await findProject(c.get('db'), project) : undefined
    return showForm(c, null, live ? { project_id: live.id, theme_ids: live.theme_ids } : {}, {})
  })
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const product = await findProduct(db, c.req.param('id'))
    if (!product) throw new NotFoundError()
    const [themes, timeline] = await Promise.all([themeNames(db, product.theme_ids), auditTimeline(db, 'product', product.id)])
    const projectLive = product.project_id ? !!(await findProject(db, product.project_id)) : false
    return render(c, 'products/show', { title: product.title, product, themes, timeline, projectLive, labelPrefix: 'product.' })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const product = await findProduct(c.get('db'), c.req.param('id'))
    if (!product) throw new NotFoundError()
    return showForm(c, product, valuesOf(product), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const product = await findProduct(c.get('db'), c.req.param('id'))
    if (!product) throw new NotFoundError()
    return save(c, product)
  })
