import { audienceOf } from '../privacy/visibility.ts'
import { Hono, type Context } from 'hono'
import { survivorOf } from '../merge/merged-redirect.ts'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Organisation } from '../db/schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formatDate } from '../web/format.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { readList } from '../web/list.ts'
import { render } from '../web/render.ts'
import { sectionSlots, type SectionHostLoader } from '../web/sections.ts'
import { recordTimeline } from '../web/timeline.ts'
import { idParam } from '../web/validate.ts'
import { ancestorsOf, childrenOf, findOrganisation, organisationOptions, peopleOf } from './organisations.repo.ts'
import { organisationList } from './organisations.list.ts'
import { createOrganisation as createSchema, KINDS, organisationFromForm } from './organisations.schema.ts'
import { createOrganisation, updateOrganisation } from './organisations.service.ts'
import { redirectTo } from '../web/redirect.ts'
import { themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

async function showForm(c: Context<AppEnv>, org: Organisation | null, values: Values, errors: Record<string, string>, status = 200, stored?: Organisation) {
  const db = c.get('db')
  const parentId = typeof values.parent_id === 'string' ? values.parent_id : ''
  const parent = parentId ? await findOrganisation(db, parentId) : undefined
  return render(
    c,
    'organisations/form',
    {
      title: c.get('t')(org ? 'org.edit' : 'org.new'),
      org, values, errors, stored, kinds: KINDS, counties: COUNTIES,
      themes: await themeTree(db),
      parentOptions: parent ? [{ id: parent.id, name: parent.name, county: parent.county }] : [],
    },
    status,
  )
}

function valuesOf(o: Organisation): Values {
  return {
    name: o.name, short_name: o.short_name ?? '', kind: o.kind, country: o.country, county: o.county ?? '',
    org_number: o.org_number ?? '', website: o.website ?? '', parent_id: o.parent_id ?? '',
    influence: o.influence?.toString() ?? '', interest: o.interest?.toString() ?? '',
    tags: o.tags.join(', '), theme_ids: o.theme_ids, notes: o.notes ?? '', version: String(o.version),
  }
}

/** The organisation page as a host of other features' sections. */
export const organisationHost: SectionHostLoader = async (c, id) => {
  const org = await findOrganisation(c.get('db'), id)
  return org && { id, name: org.name, href: `/organisations/${id}` }
}

export const organisationPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, organisationList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes] = await Promise.all([list.page(), themeTree(db)])
    const data = { title: c.get('t')(query.deleted ? 'org.deleted_title' : 'org.title'), page, query, list: list.links, themes, kinds: KINDS, counties: COUNTIES }
    return render(c, isPartial(c) ? 'organisations/_results' : 'organisations/index', data)
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { kind: '', country: 'SE' }, {}))
  .get('/options', requireRole('viewer'), async (c) => {
    const exclude = c.req.query('exclude') ?? ''
    const options = await organisationOptions(c.get('db'), (c.req.query('q') ?? c.req.query('parent_q') ?? '').slice(0, 200))
    // The organisation picker's listbox (static/js/combobox.js) takes the same choices as JSON.
    if (c.req.query('format') === 'json') return c.json(options.filter((o) => o.id !== exclude))
    return render(c, 'organisations/_options', { options, exclude })
  })
  .post('/', requireRole('editor'), async (c) => {
    const values = await formValues(c)
    return saveForm(c, {
      record: null as Organisation | null, values, parsed: createSchema.safeParse(organisationFromForm(values)),
      write: (data) => createOrganisation(c.get('db'), data, { userId: c.get('user')!.id }),
      show: (record, values, errors, status) => showForm(c, record, values, errors, status),
      done: (o) => redirectAfterWrite(c, `/organisations/${o.id}`),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const org = await findOrganisation(db, c.req.param('id'))
    if (!org) {
      const survivor = await survivorOf(db, 'organisations', c.req.param('id'))
      if (survivor) return redirectTo(c, `/organisations/${survivor}`, 301)
      throw new NotFoundError()
    }
    const [ancestors, children, people, themes, timeline] = await Promise.all([
      ancestorsOf(db, org.id),
      childrenOf(db, org.id),
      peopleOf(db, org.id, formatDate(new Date()), audienceOf(c)),
      themeNames(db, org.theme_ids),
      recordTimeline(db, 'organisation', org.id),
    ])
    const sections = sectionSlots(c, 'organisation', org.id)
    return render(c, 'organisations/show', { title: org.name, org, ancestors, children, people, themes, timeline, sections, labelPrefix: 'org.' })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const org = await findOrganisation(c.get('db'), c.req.param('id'))
    if (!org) throw new NotFoundError()
    return showForm(c, org, valuesOf(org), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    const org = await findOrganisation(db, c.req.param('id'))
    if (!org) throw new NotFoundError()
    const values = await formValues(c)
    return saveForm(c, {
      record: org, values, parsed: createSchema.safeParse(organisationFromForm(values)),
      write: (data, version) => updateOrganisation(db, org.id, version, data, { userId: c.get('user')!.id }),
      reload: (stored) => findOrganisation(db, stored.id),
      show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
      done: () => redirectAfterWrite(c, `/organisations/${org.id}`),
    })
  })
