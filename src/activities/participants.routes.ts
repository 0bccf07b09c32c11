import { personContexts } from '../contacts/person-context.ts'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { listContactsQuery, pageContacts, type ContactQuery } from '../contacts/contacts.list.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import { CsvReadError } from '../import/csv-read.ts'
import { COUNTIES } from '../register/counties.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { formValues, listOf, textOf } from '../web/form.ts'
import { isPartial } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam, parseOrThrow } from '../web/validate.ts'
import { findActivity, type ActivityRecord } from './activities.repo.ts'
import { ATTENDANCES, ROLES } from './activities.schema.ts'
import { changeParticipants, type ParticipantsResult } from './activities.service.ts'
import { contactsByEmail, readPasted, readRegistrations, type Address, type ReadAddresses } from './participants-input.ts'
import type { ParticipantEdit } from './participants.ts'
import { organisationNames } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

/** What the last action did, shown at the top of the page; unknown addresses are listed, never dropped. */
interface Outcome {
  counts?: Omit<ParticipantsResult, 'activity'>
  unknown: Address[]
  unreadable: string[]
  /** The attendance a pasted or imported list gave (what `counts.updated` were set to). */
  attendance?: string
}

const PICK_KEYS = ['q', 'category', 'county', 'theme_id', 'organisation_id', 'cursor'] as const

/** The contact filter of the pick list, from a query string; anything else in it is not the list's. */
function pickQuery(params: URLSearchParams): ContactQuery {
  const raw: Record<string, string | string[]> = {}
  for (const key of PICK_KEYS) {
    const values = params.getAll(key).filter(Boolean)
    if (values.length) raw[key] = values.length === 1 ? values[0]! : values
  }
  const parsed = listContactsQuery.safeParse({ ...raw, limit: '100' })
  return parsed.success ? parsed.data : listContactsQuery.parse({ limit: '100' })
}

function filterString(q: ContactQuery): string {
  const p = new URLSearchParams()
  if (q.q) p.set('q', q.q)
  for (const key of ['category', 'county', 'theme_id', 'organisation_id'] as const) for (const v of q[key]) p.append(key, v)
  return p.toString()
}

interface PageState {
  outcome?: Outcome
  errors?: Record<string, string>
  conflict?: boolean
  values?: Values
  filter?: URLSearchParams
}

async function showPage(c: Context<AppEnv>, activity: ActivityRecord, state: PageState, status = 200) {
  const db = c.get('db')
  const query = pickQuery(state.filter ?? new URL(c.req.url).searchParams)
  const [page, themes, orgs, contexts] = await Promise.all([
    pageContacts(db, query), themeTree(db), organisationNames(db, query.organisation_id),
    personContexts(db, activity.participants.map((p) => (p.contact_name ? p.contact_id : null))),
  ])
  const present = new Set(activity.participants.flatMap((p) => (p.contact_id ? [p.contact_id] : [])))
  const t = c.get('t')
  const data = {
    title: `${t('activity.participants')}: ${activity.title}`, activity, page, query, filter: filterString(query), present, themes, contexts,
    filterOrgs: orgs, categories: CATEGORIES, counties: COUNTIES, roles: ROLES, attendances: ATTENDANCES,
    outcome: state.outcome, errors: state.errors ?? {}, conflict: state.conflict ?? false, values: state.values ?? {},
  }
  // The filter form swaps only the pick list.
  if (isPartial(c) && c.req.header('HX-Target') === 'pick-results') return render(c, 'activities/_pick', data, status)
  return render(c, 'activities/participants', data, status)
}

async function load(c: Context<AppEnv>): Promise<ActivityRecord> {
  const activity = await findActivity(c.get('db'), c.req.param('id')!)
  if (!activity) throw new NotFoundError()
  return activity
}

const roleAndAttendance = z.object({ role: z.enum(ROLES), attendance: z.enum(ATTENDANCES) })

interface Built {
  edit: ParticipantEdit
  unknown?: Address[]
  unreadable?: string[]
  attendance?: string
}

/** Runs one participants action against the version the page was read at, and shows the page again with what it did. */
async function act(c: Context<AppEnv>, values: Values, build: () => Promise<Built>) {
  const activity = await load(c)
  const t = c.get('t')
  const filter = new URLSearchParams(textOf(values.filter) ?? '')
  try {
    const built = await build()
    const { activity: saved, ...counts } = await changeParticipants(c.get('db'), activity.id, Number(values.version), built.edit, { userId: c.get('user')!.id })
    // What was typed is done with; the addresses that matched nobody are listed instead.
    return showPage(c, saved, { outcome: { counts, unknown: built.unknown ?? [], unreadable: built.unreadable ?? [], attendance: built.attendance }, filter })
  } catch (err) {
    if (err instanceof ValidationError) return showPage(c, activity, { errors: translateFields(err.fields, t), values, filter }, 422)
    if (err instanceof StaleVersionError) return showPage(c, activity, { conflict: true, values, filter }, 409)
    throw err
  }
}

/** The addresses matched to contacts: those found become participants, the rest are reported back. */
async function resolve(c: Context<AppEnv>, read: ReadAddresses, values: Values, prefix = ''): Promise<Built> {
  const { role, attendance } = parseOrThrow(c, roleAndAttendance, { role: values[`${prefix}role`], attendance: values[`${prefix}attendance`] })
  const ids = await contactsByEmail(c.get('db'), read.addresses.map((a) => a.email))
  const add = read.addresses.flatMap((a) => {
    const id = ids.get(a.email)
    return id ? [{ contact_id: id, organisation_id: null, role, attendance }] : []
  })
  // A list of who came (or registered) is about everyone on it: those invited already are updated too.
  return { edit: { add, remove: [], updateExisting: true }, unknown: read.addresses.filter((a) => !ids.has(a.email)), unreadable: read.unreadable, attendance }
}

const MAX_CSV_BYTES = 512 * 1024

export const participantPages = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}/participants', requireRole('viewer'), idParam, async (c) => showPage(c, await load(c), {}))
  // Contacts ticked in the filtered list.
  .post('/:id{[0-9a-fA-F-]{36}}/participants/pick', requireRole('editor'), idParam, async (c) => {
    const values = await formValues(c)
    return act(c, values, async () => {
      const { role, attendance } = parseOrThrow(c, roleAndAttendance, { role: values.pick_role, attendance: values.pick_attendance })
      const ids = listOf(values.contact_id)
      if (!ids.length) throw new ValidationError({ contact_id: c.get('t')('list.nothing_selected') })
      if (ids.length > 1000 || !ids.every((id) => z.uuid().safeParse(id).success)) throw new ValidationError({ contact_id: c.get('t')('validation.invalid') })
      return { edit: { add: ids.map((id) => ({ contact_id: id, organisation_id: null, role, attendance })), remove: [] } }
    })
  })
  // E-mail addresses pasted from a mail program, a spreadsheet or a list.
  .post('/:id{[0-9a-fA-F-]{36}}/participants/paste', requireRole('editor'), idParam, async (c) => {
    const values = await formValues(c)
    return act(c, values, async () => {
      const read = readPasted(textOf(values.emails) ?? '')
      if (!read.addresses.length && !read.unreadable.length) throw new ValidationError({ emails: c.get('t')('activity.paste_empty') })
      return resolve(c, read, values)
    })
  })
  // A registration list (CSV) from a sign-up form or a spreadsheet.
  .post('/:id{[0-9a-fA-F-]{36}}/participants/import', requireRole('editor'), idParam, async (c) => {
    const body = await c.req.parseBody()
    const values: Values = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])))
    return act(c, values, async () => {
      const file = body.file
      const t = c.get('t')
      if (!(file instanceof File) || file.size === 0) throw new ValidationError({ file: t('activity.csv_missing') })
      if (file.size > MAX_CSV_BYTES) throw new ValidationError({ file: t('activity.csv_too_large') })
      let read: ReadAddresses
      try {
        read = readRegistrations(new Uint8Array(await file.arrayBuffer()))
      } catch (err) {
        if (err instanceof CsvReadError) throw new ValidationError({ file: t('activity.csv_unreadable') })
        throw err
      }
      return resolve(c, read, values, 'import_')
    })
  })
  // Attendance for the ticked participants or all of them; or removing the ticked ones.
  .post('/:id{[0-9a-fA-F-]{36}}/participants/attendance', requireRole('editor'), idParam, async (c) => {
    const values = await formValues(c)
    return act(c, values, async () => {
      const ids = listOf(values.participant_id)
      const t = c.get('t')
      if (values.action === 'remove') {
        if (!ids.length) throw new ValidationError({ participant_id: t('list.nothing_selected') })
        return { edit: { add: [], remove: ids } }
      }
      const attendance = parseOrThrow(c, z.object({ attendance: z.enum(ATTENDANCES) }), { attendance: values.attendance }).attendance
      const all = values.scope === 'all'
      if (!all && !ids.length) throw new ValidationError({ participant_id: t('activity.choose_participants') })
      return { edit: { add: [], remove: [], attendance: { ids: all ? 'all' : ids, value: attendance } } }
    })
  })
