import { personContexts, personLabel, worksAt } from '../contacts/person-context.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { UNRESOLVED } from '../web/pick.ts'
import { formatDate } from '../web/format.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { allianceList } from './alliances.list.ts'
import { contactNames, findAlliance, statusHistory, type AllianceRecord } from './alliances.repo.ts'
import { readList } from '../web/list.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import {
  allianceFromForm, commitmentRowsFromForm, COMMITMENT_STATUSES, createAlliance as createSchema, EMPTY_COMMITMENT, EMPTY_LINK, EMPTY_MEMBER,
  linkRowsFromForm, memberRowsFromForm, namedMembers, ROLES, STATUSES, type CommitmentRow, type LinkRow, type MemberRow,
} from './alliances.schema.ts'
import { createAlliance, updateAlliance } from './alliances.service.ts'
import { commitmentState, reviewDue } from './commitments.ts'
import { allianceHealth, healthInput } from './health.ts'
import { memberOrganisations } from './memberships.repo.ts'
import { organisationNames, themeNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

const today = () => formatDate(new Date())

interface Rows {
  members: MemberRow[]
  commitments: CommitmentRow[]
  links: LinkRow[]
}

async function showForm(c: Context<AppEnv>, alliance: AllianceRecord | null, values: Values, rows: Rows, errors: Record<string, string>, status = 200, stored?: AllianceRecord) {
  const db = c.get('db')
  const orgIds = [...rows.members, ...rows.commitments].map((r) => r.organisation_id).filter(Boolean)
  const contactIds = rows.members.map((r) => r.contact_id).filter(Boolean)
  const [orgs, people, themes, contexts, atMember] = await Promise.all([
    organisationNames(db, [...new Set(orgIds)]),
    contactNames(db, contactIds),
    themeTree(db),
    personContexts(db, contactIds),
    worksAt(db, rows.members),
  ])
  // Always one empty row more: adding a member, a commitment or a link needs no script.
  const members = [...rows.members, EMPTY_MEMBER].map((r) => {
    const name = people.get(r.contact_id)
    return {
      ...r, organisation_name: orgs.get(r.organisation_id),
      contact_name: name ? personLabel(name, contexts.get(r.contact_id)) : name,
      // A contact person who does not work at the member organisation today: said beside the choice.
      contact_elsewhere: Boolean(name && r.organisation_id && !atMember.has(`${r.contact_id}:${r.organisation_id}`)),
    }
  })
  const commitments = [...rows.commitments, EMPTY_COMMITMENT]
  // A commitment is made by a member: its organisation is chosen among the members in the form.
  const t = c.get('t')
  const named = (id: string) => id && id !== UNRESOLVED
  const memberChoices = rows.members.filter((r) => named(r.organisation_id)).map((r) => ({ value: r.organisation_id, label: orgs.get(r.organisation_id) ?? r.organisation_id }))
  for (const r of rows.commitments) {
    if (named(r.organisation_id) && !memberChoices.some((m) => m.value === r.organisation_id)) memberChoices.push({ value: r.organisation_id, label: orgs.get(r.organisation_id) ?? r.organisation_id })
  }
  // The member about to be added on the empty row can be named at once (resolved when the form is sent).
  memberChoices.push({ value: `@members.${rows.members.length}`, label: t('alliance.commitment_new_member', { n: rows.members.length + 1 }) })
  return render(
    c,
    'alliances/form',
    {
      title: t(alliance ? 'alliance.edit' : 'alliance.new') + (alliance ? `: ${alliance.name}` : ''),
      alliance, values, members, commitments, links: [...rows.links, EMPTY_LINK], memberChoices, emptyMember: EMPTY_MEMBER, errors, stored,
      statuses: STATUSES, roles: ROLES, commitmentStatuses: COMMITMENT_STATUSES, themes,
    },
    status,
  )
}

function valuesOf(a: AllianceRecord): Values {
  return {
    name: a.name, purpose: a.purpose ?? '', status: a.status, start_date: a.start_date ?? '', end_date: a.end_date ?? '',
    review_date: a.review_date ?? '', next_step: a.next_step ?? '', theme_ids: a.theme_ids, notes: a.notes ?? '', version: String(a.version),
  }
}

function rowsOf(a: AllianceRecord): Rows {
  return {
    members: a.members.map((m) => ({
      id: m.id, organisation_id: m.organisation_id, role: m.role, contact_id: m.contact_id ?? '', start_date: m.start_date ?? '', end_date: m.end_date ?? '',
    })),
    commitments: a.commitments.map((k) => ({ id: k.id, organisation_id: k.organisation_id, description: k.description, due_date: k.due_date ?? '', status: k.status })),
    links: a.links.map((l) => ({ label: l.label, url: l.url })),
  }
}

const rowsFromForm = (values: Values): Rows => ({
  members: memberRowsFromForm(values),
  commitments: commitmentRowsFromForm(values),
  links: linkRowsFromForm(values),
})

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, alliance: AllianceRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = namedMembers(await formValues(c))
  const rows = rowsFromForm(values)
  return saveForm(c, {
    record: alliance, values, parsed: createSchema.safeParse(allianceFromForm(values)),
    write: (data, version) => (alliance ? updateAlliance(db, alliance.id, version, data, actor) : createAlliance(db, data, actor)),
    reload: (stored) => findAlliance(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, rows, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/alliances/${saved.id}`),
  })
}

export const alliancePages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, allianceList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes, organisations] = await Promise.all([list.page(), themeTree(db), memberOrganisations(db)])
    const title = c.get('t')(query.deleted ? 'alliance.deleted_title' : 'alliance.list_title')
    const data = { title, page, query, list: list.links, themes, organisations, statuses: STATUSES, sorts: allianceList.sortNames, today: today(), commitmentState, reviewDue }
    return render(c, isPartial(c) ? 'alliances/_results' : 'alliances/index', data)
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { status: 'exploring' }, { members: [], commitments: [], links: [] }, {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const alliance = await findAlliance(db, c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    const day = today()
    const [themes, history, input, timeline] = await Promise.all([
      themeNames(db, alliance.theme_ids),
      statusHistory(db, alliance.id),
      healthInput(db, alliance, day),
      auditTimeline(db, 'alliance', alliance.id),
    ])
    const named = alliance.members.filter((m) => m.contact_name)
    const [contexts, atMember] = await Promise.all([personContexts(db, named.map((m) => m.contact_id), day), worksAt(db, named, day)])
    return render(c, 'alliances/show', {
      title: alliance.name, alliance, contexts, atMember, themes, history, health: allianceHealth(input), healthInput: input, timeline, labelPrefix: 'alliance.',
      today: day, statuses: STATUSES, commitmentStatuses: COMMITMENT_STATUSES, commitmentState, reviewDue,
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const alliance = await findAlliance(c.get('db'), c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    return showForm(c, alliance, valuesOf(alliance), rowsOf(alliance), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const alliance = await findAlliance(c.get('db'), c.req.param('id'))
    if (!alliance) throw new NotFoundError()
    return save(c, alliance)
  })
