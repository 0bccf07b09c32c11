import { readList } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { byPeriod } from '../register/period.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { bodyList } from './bodies.list.ts'
import { findBody, namesOf, type BodyRecord } from './bodies.repo.ts'
import { BODY_KINDS, bodyFromForm, createBody as createSchema, seatRowsFromForm, SEAT_ROLES, type SeatRow } from './bodies.schema.ts'
import { createBody, updateBody } from './bodies.service.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { today } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

const EMPTY_ROW: SeatRow = { id: '', contact_id: '', organisation_id: '', role: 'member', start_date: '', end_date: '' }

async function showForm(c: Context<AppEnv>, body: BodyRecord | null, values: Values, rows: SeatRow[], errors: Record<string, string>, status = 200, stored?: BodyRecord) {
  const db = c.get('db')
  const [contacts, organisations] = await Promise.all([
    namesOf(db, 'contacts', rows.map((r) => r.contact_id).filter(Boolean)),
    namesOf(db, 'organisations', rows.map((r) => r.organisation_id).filter(Boolean)),
  ])
  // Always one empty row more: adding a member needs no script.
  const seats = [...rows, EMPTY_ROW].map((r) => ({ ...r, contact_name: contacts.get(r.contact_id), organisation_name: organisations.get(r.organisation_id) }))
  const title = c.get('t')(body ? 'body.edit' : 'body.new') + (body ? `: ${body.name}` : '')
  return render(c, 'bodies/form', { title, body, values, seats, errors, stored, kinds: BODY_KINDS, roles: SEAT_ROLES }, status)
}

function valuesOf(b: BodyRecord): Values {
  return { name: b.name, kind: b.kind, description: b.description ?? '', version: String(b.version) }
}

function rowsOf(b: BodyRecord): SeatRow[] {
  return b.seats.map((s) => ({
    id: s.id, contact_id: s.contact_id, organisation_id: s.organisation_id ?? '', role: s.role, start_date: s.start_date ?? '', end_date: s.end_date ?? '',
  }))
}

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, body: BodyRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  const rows = seatRowsFromForm(values)
  return saveForm(c, {
    record: body, values, parsed: createSchema.safeParse(bodyFromForm(values)),
    write: (data, version) => (body ? updateBody(db, body.id, version, data, actor) : createBody(db, data, actor)),
    reload: (stored) => findBody(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, rows, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/bodies/${saved.id}`),
  })
}

export const bodyPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, bodyList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, contacts, organisations] = await Promise.all([
      list.page(), namesOf(db, 'contacts', query.contact_id), namesOf(db, 'organisations', query.organisation_id),
    ])
    const day = today()
    const data = page.data.map((b) => ({ ...b, current: byPeriod(b.seats, day).current.length }))
    const members = [...query.contact_id.map((id) => contacts.get(id)), ...query.organisation_id.map((id) => organisations.get(id))].filter(Boolean)
    const title = c.get('t')(query.deleted ? 'body.deleted_title' : 'body.title')
    return render(c, isPartial(c) ? 'bodies/_results' : 'bodies/index', { title, page: { ...page, data }, query, list: list.links, members, kinds: BODY_KINDS })
  })
  .get('/new', requireRole('editor'), (c) => showForm(c, null, {}, [], {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const body = await findBody(db, c.req.param('id'))
    if (!body) throw new NotFoundError()
    const timeline = await auditTimeline(db, 'body', body.id)
    return render(c, 'bodies/show', { title: body.name, body, timeline, labelPrefix: 'body.', ...byPeriod(body.seats, today()) })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const body = await findBody(c.get('db'), c.req.param('id'))
    if (!body) throw new NotFoundError()
    return showForm(c, body, valuesOf(body), rowsOf(body), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const body = await findBody(c.get('db'), c.req.param('id'))
    if (!body) throw new NotFoundError()
    return save(c, body)
  })
