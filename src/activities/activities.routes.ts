import { readList } from '../web/list.ts'
import { personContexts } from '../contacts/person-context.ts'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { activityFromForm, participantRowsFromForm, valuesOf, type ParticipantRow } from './activities.form.ts'
import { activityList } from './activities.list.ts'
import {
  bodyName, findActivity, formChoices, liveContacts, liveOrganisations, productNames, type ActivityRecord,
} from './activities.repo.ts'
import { ATTENDANCES, createActivity as createSchema, INFLUENCE_RESULTS, LEVELS, ROLES, STATUSES, TYPES } from './activities.schema.ts'
import { createActivity, updateActivity } from './activities.service.ts'
import { organisationNames, themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

interface FormExtras {
  rows?: ParticipantRow[]
  prefilled?: boolean
  plan?: string | null
}

async function showForm(c: Context<AppEnv>, activity: ActivityRecord | null, values: Values, errors: Record<string, string>, status = 200, stored?: ActivityRecord, extras: FormExtras = {}) {
  const db = c.get('db')
  const rows = extras.rows ?? []
  const influenceOrg = typeof values['influence.organisation_id'] === 'string' ? values['influence.organisation_id'] : ''
  const [themes, choices, contacts, orgs] = await Promise.all([
    themeTree(db),
    formChoices(db),
    liveContacts(db, rows.map((r) => r.contact_id).filter(Boolean)),
    organisationNames(db, [...rows.map((r) => r.organisation_id).filter(Boolean), ...(influenceOrg ? [influenceOrg] : [])]),
  ])
  const people = new Map(contacts.map((p) => [p.id, p.name]))
  const participants = rows.map((r) => ({ ...r, contact_name: people.get(r.contact_id), organisation_name: orgs.get(r.organisation_id) }))
  const t = c.get('t')
  return render(
    c,
    'activities/form',
    {
      title: t(activity ? 'activity.edit' : 'activity.new') + (activity ? `: ${activity.title}` : ''),
      activity, values, errors, stored, participants, prefilled: extras.prefilled ?? false, plan: extras.plan ?? null,
      influenceOrgName: orgs.get(influenceOrg) ?? null, themes, products: choices.products, bodies: choices.bodies,
      types: TYPES, statuses: STATUSES, levels: LEVELS, roles: ROLES, attendances: ATTENDANCES, results: INFLUENCE_RESULTS,
    },
    status,
  )
}

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, activity: ActivityRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  const rows = activity ? [] : participantRowsFromForm(values)
  return saveForm(c, {
    record: activity, values, parsed: createSchema.safeParse(activityFromForm(values)),
    write: (data, version) => {
      // The edit form leaves participants to the participants page: what it does not show, it does not replace.
      const { participants, ...rest } = data
      return activity ? updateActivity(db, activity.id, version, rest, actor) : createActivity(db, { ...rest, participants }, actor)
    },
    reload: (stored) => findActivity(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored, { rows }),
    done: (saved) => redirectAfterWrite(c, `/activities/${saved.id}`),
  })
}

const prefillQuery = z.object({
  contact_id: z.array(z.uuid()).max(1000).catch([]),
  organisation_id: z.array(z.uuid()).max(1000).catch([]),
  plan_id: z.uuid().optional().catch(undefined),
})

/** `/activities/new?contact_id=…&organisation_id=…&plan_id=…`: participants, themes and products filled in from a link. */
async function newForm(c: Context<AppEnv>) {
  const db = c.get('db')
  const q = prefillQuery.parse({ contact_id: c.req.queries('contact_id') ?? [], organisation_id: c.req.queries('organisation_id') ?? [], plan_id: c.req.query('plan_id') })
  const [contacts, orgs, plan] = await Promise.all([
    liveContacts(db, [...new Set(q.contact_id)]),
    liveOrganisations(db, [...new Set(q.organisation_id)]),
    q.plan_id
      ? db.selectFrom('plans').select(['name', 'theme_ids', 'product_ids']).where('id', '=', q.plan_id).where('deleted_at', 'is', null).executeTakeFirst()
      : undefined,
  ])
  const row = { role: 'participant', attendance: 'invited', remove: false }
  const rows: ParticipantRow[] = [
    ...contacts.map((p) => ({ ...row, contact_id: p.id, organisation_id: '' })),
    ...orgs.map((o) => ({ ...row, contact_id: '', organisation_id: o.id })),
  ]
  const values: Values = { type: 'seminar', status: 'planned', theme_ids: plan?.theme_ids ?? [], product_ids: plan?.product_ids ?? [] }
  return showForm(c, null, values, {}, 200, undefined, { rows, prefilled: rows.length > 0, plan: plan?.name ?? null })
}

/** Participants grouped by attendance, in the order a report reads them. */
const GROUP_ORDER = ['attended', 'received', 'registered', 'invited', 'no_show'] as const

export const activityPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, activityList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes] = await Promise.all([list.page(), themeTree(db)])
    const title = c.get('t')(query.deleted ? 'activity.deleted_title' : 'activity.list_title')
    const data = { title, page, query, list: list.links, themes, types: TYPES, statuses: STATUSES, levels: LEVELS, sorts: activityList.sortNames }
    return render(c, isPartial(c) ? 'activities/_results' : 'activities/index', data)
  })
  .get('/new', requireRole('editor'), (c) => newForm(c))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const activity = await findActivity(db, c.req.param('id'))
    if (!activity) throw new NotFoundError()
    const orgId = activity.influence_organisation_id
    const [themes, products, timeline, orgs, body] = await Promise.all([
      themeNames(db, activity.theme_ids),
      productNames(db, activity.product_ids),
      auditTimeline(db, 'activity', activity.id),
      organisationNames(db, orgId ? [orgId] : []),
      bodyName(db, activity.influence_body_id),
    ])
    const contexts = await personContexts(db, activity.participants.map((p) => (p.contact_name ? p.contact_id : null)))
    const groups = GROUP_ORDER.map((attendance) => ({ attendance, list: activity.participants.filter((p) => p.attendance === attendance) }))
    return render(c, 'activities/show', {
      title: activity.title, activity, contexts, themes, products, timeline, groups, labelPrefix: 'activity.',
      influenceOrg: orgId ? (orgs.get(orgId) ?? null) : null, influenceBody: body,
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const activity = await findActivity(c.get('db'), c.req.param('id'))
    if (!activity) throw new NotFoundError()
    return showForm(c, activity, valuesOf(activity), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const activity = await findActivity(c.get('db'), c.req.param('id'))
    if (!activity) throw new NotFoundError()
    return save(c, activity)
  })
