import { personContexts } from '../contacts/person-context.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { saveForm } from '../web/form-save.ts'
import { formatDate } from '../web/format.ts'
import { formValues, listOf } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam } from '../web/validate.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { followUpItems } from './follow-ups.ts'
import { interactionList } from './interactions.list.ts'
import { readList } from '../web/list.ts'
import { assigneeOptions, findInteraction, linksOf, pickedNames, userNames, type InteractionRecord } from './interactions.repo.ts'
import { createInteraction as createSchema, FOLLOW_UP_FILTERS, INTERACTION_KINDS, interactionFromForm } from './interactions.schema.ts'
import { createInteraction, linkErrors, updateInteraction } from './interactions.service.ts'

type Values = Record<string, string | string[]>

async function showForm(c: Context<AppEnv>, record: InteractionRecord | null, values: Values, errors: Record<string, string>, status = 200, stored?: InteractionRecord) {
  const db = c.get('db')
  const [contacts, organisations, assignees] = await Promise.all([
    pickedNames(db, 'contact', listOf(values.contact_ids)),
    pickedNames(db, 'organisation', listOf(values.organisation_ids)),
    assigneeOptions(db),
  ])
  const title = c.get('t')(record ? 'interaction.edit' : 'interaction.new')
  return render(c, 'interactions/form', { title, record, values, errors, stored, picked: { contacts, organisations }, assignees, kinds: INTERACTION_KINDS }, status)
}

function valuesOf(i: InteractionRecord): Values {
  return {
    kind: i.kind, occurred_on: i.occurred_on, summary: i.summary, contact_ids: i.contact_ids, organisation_ids: i.organisation_ids,
    follow_up_on: i.follow_up_on ?? '', follow_up_assignee_id: i.follow_up_assignee_id ?? '', follow_up_note: i.follow_up_note ?? '',
    follow_up_done: i.follow_up_done_at ? '1' : '', version: String(i.version),
  }
}

/** Schema errors and the missing-link error (a message key) together, so the form is corrected in one go. */
function formErrors(c: Context<AppEnv>, values: Values, error: Parameters<typeof fieldErrors>[0]) {
  const input = interactionFromForm(values)
  return { ...translateFields(linkErrors(input), c.get('t')), ...fieldErrors(error, c.get('t')) }
}

export const interactionPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, interactionList)
    if (list.csv) return list.csv()
    const { query } = list
    const page = await list.page()
    const items = await followUpItems(db, page.data)
    const title = c.get('t')(query.deleted ? 'interaction.deleted_title' : 'interaction.title')
    const data = { title, page, items, query, list: list.links, today: formatDate(new Date()), kinds: INTERACTION_KINDS, followUps: FOLLOW_UP_FILTERS }
    return render(c, isPartial(c) ? 'interactions/_results' : 'interactions/index', data)
  })
  .get('/new', requireRole('editor'), async (c) => {
    const contactIds = (c.req.queries('contact_id') ?? []).slice(0, 50)
    let organisationIds = (c.req.queries('organisation_id') ?? []).slice(0, 50)
    // A contact logged with a person is usually with their employer too: their current
    // organisation is ticked already (untick it if not), unless organisations were named.
    if (contactIds.length && !organisationIds.length) {
      const contexts = await personContexts(c.get('db'), contactIds)
      organisationIds = [...new Set([...contexts.values()].flatMap((x) => (x.organisation_id ? [x.organisation_id] : [])))]
    }
    const values: Values = {
      kind: 'meeting',
      occurred_on: formatDate(new Date()),
      contact_ids: contactIds,
      organisation_ids: organisationIds,
      follow_up_assignee_id: c.get('user')!.id,
    }
    return showForm(c, null, values, {})
  })
  .post('/', requireRole('editor'), async (c) => {
    const values = await formValues(c)
    return saveForm(c, {
      record: null as InteractionRecord | null, values, parsed: createSchema.safeParse(interactionFromForm(values)),
      invalid: (error) => formErrors(c, values, error),
      write: (data) => createInteraction(c.get('db'), data, { userId: c.get('user')!.id }),
      show: (record, values, errors, status) => showForm(c, record, values, errors, status),
      done: (i) => redirectAfterWrite(c, `/interactions/${i.id}`),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const record = await findInteraction(db, c.req.param('id'))
    if (!record) throw new NotFoundError()
    const [links, names, items, timeline] = await Promise.all([
      linksOf(db, [record.id]),
      userNames(db, [record.created_by]),
      followUpItems(db, [record]),
      auditTimeline(db, 'interaction', record.id),
    ])
    const t = c.get('t')
    const title = `${t(`interaction.kind.${record.kind}`)} ${record.occurred_on}`
    return render(c, 'interactions/show', {
      title, record, links: links.get(record.id)!, loggedBy: record.created_by ? names.get(record.created_by) : null,
      followUp: record.follow_up_on ? items[0] : null, today: formatDate(new Date()), timeline, labelPrefix: 'interaction.',
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const record = await findInteraction(c.get('db'), c.req.param('id'))
    if (!record) throw new NotFoundError()
    return showForm(c, record, valuesOf(record), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    const record = await findInteraction(db, c.req.param('id'))
    if (!record) throw new NotFoundError()
    const values = await formValues(c)
    // The "done" box is on the form only when there was a follow-up to tick.
    const done = values.has_done_box === '1' ? { follow_up_done: values.follow_up_done === '1' } : {}
    return saveForm(c, {
      record, values, parsed: createSchema.safeParse(interactionFromForm(values)),
      invalid: (error) => formErrors(c, values, error),
      write: (data, version) => updateInteraction(db, record.id, version, { ...data, ...done }, { userId: c.get('user')!.id }),
      reload: (stored) => findInteraction(db, stored.id),
      show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
      done: () => redirectAfterWrite(c, `/interactions/${record.id}`),
    })
  })
