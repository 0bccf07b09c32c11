import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { findActivity, type ActivityRecord } from '../activities/activities.repo.ts'
import { requireRole } from '../auth/roles.ts'
import { contextText, personContexts } from '../contacts/person-context.ts'
import { StaleVersionError, NotFoundError, UnavailableError, ValidationError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { setFlash } from '../web/flash.ts'
import { formValues, intOf, textOf } from '../web/form.ts'
import { isHtmx, redirectAfterWrite } from '../web/htmx.ts'
import { redirectTo } from '../web/redirect.ts'
import { render } from '../web/render.ts'
import { fieldErrors, idParam } from '../web/validate.ts'
import { setAttendance } from './participation.ts'
import { MAX_QUESTIONS, QUESTION_KINDS, REGISTRABLE_TYPES, registrationSettings } from './events.schema.ts'
import { registrationList } from './events.repo.ts'
import { readList } from '../web/list.ts'
import { invitationProgress, invite, type InviteResult } from './invitations.ts'
import { today } from '../register/vocabulary.ts'
import { cancelByStaff, counts, findSettings, type Settings } from './registration.service.ts'
import { saveSettings } from './settings.service.ts'

type Values = Record<string, string | string[]>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function load(c: Context<AppEnv>): Promise<ActivityRecord> {
  const activity = await findActivity(c.get('db'), c.req.param('id')!)
  if (!activity) throw new NotFoundError()
  return activity
}

/** The form's values for stored settings (question rows q0…q4). */
function valuesOf(s: Settings | undefined): Values {
  if (!s) return { open: '', capacity: '', deadline: '' }
  const v: Values = { version: String(s.version), open: s.open ? 'on' : '', capacity: s.capacity === null ? '' : String(s.capacity), deadline: s.deadline ?? '' }
  s.questions.forEach((q, i) => {
    Object.assign(v, { [`q${i}_id`]: q.id, [`q${i}_label`]: q.label, [`q${i}_kind`]: q.kind, [`q${i}_options`]: q.options.join('; '), [`q${i}_required`]: q.required ? 'on' : '' })
  })
  return v
}

/** The settings from the form: rows with no question text are left out; errors name the row's fields. */
function settingsFromForm(values: Values) {
  const rows: number[] = []
  const questions = []
  for (let i = 0; i < MAX_QUESTIONS; i++) {
    const label = textOf(values[`q${i}_label`])
    if (!label) continue
    rows.push(i)
    questions.push({
      id: textOf(values[`q${i}_id`]) ?? undefined,
      label,
      kind: textOf(values[`q${i}_kind`]) ?? 'text',
      options: (textOf(values[`q${i}_options`]) ?? '').split(';').map((o) => o.trim()).filter(Boolean),
      required: values[`q${i}_required`] === 'on',
    })
  }
  const version = intOf(values.version)
  return {
    input: { version: version === null ? undefined : version, open: values.open === 'on', capacity: intOf(values.capacity), deadline: textOf(values.deadline), questions },
    field: (key: string) => key.replace(/^questions\.(\d+)\.(\w+).*$/, (_m, n: string, f: string) => `q${rows[Number(n)]}_${f}`),
  }
}

interface PageState {
  values?: Values
  errors?: Record<string, string>
  conflict?: boolean
  invited?: InviteResult
  inviteErrors?: Record<string, string>
  emails?: string
}

async function settingsPage(c: Context<AppEnv>, activity: ActivityRecord, state: PageState = {}, status = 200) {
  const db = c.get('db')
  // The registrations a page at a time (a conference can have hundreds), by the list protocol.
  const regs = readList(c, { ...registrationList, path: `/activities/${activity.id}/registration` })
  regs.query.activity_id = activity.id
  const [settings, n, page, progress, segments] = await Promise.all([
    findSettings(db, activity.id), counts(db, activity.id), regs.page(), invitationProgress(db, activity.id),
    db.selectFrom('segments').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').limit(500).execute(),
  ])
  const t = c.get('t')
  return render(c, 'events/settings', {
    title: t('events.settings_title', { title: activity.title }), activity, settings, counts: n, registrations: page.data.map(registrationList.toApi), page, list: regs.links, listQuery: regs.query, progress,
    registrable: (REGISTRABLE_TYPES as readonly string[]).includes(activity.type),
    values: state.values ?? valuesOf(settings), errors: state.errors ?? {}, conflict: state.conflict ?? false,
    segments, invited: state.invited ?? null, inviteErrors: state.inviteErrors ?? {}, emails: state.emails ?? '',
    kinds: QUESTION_KINDS, rows: Array.from({ length: MAX_QUESTIONS }, (_, i) => i), dev: c.get('deps').outreach?.mailer.dev ?? false,
  }, status)
}

/** Who is expected and who came: registered, attended and (after the event) those who did not come. */
async function checkInRows(c: Context<AppEnv>, activity: ActivityRecord) {
  const over = (activity.end_date ?? activity.start_date ?? '9999-12-31') < today()
  const listed = activity.participants
    .filter((p) => p.contact_id && ['registered', 'attended', 'no_show'].includes(p.attendance))
    .sort((a, b) => (a.contact_name ?? '').localeCompare(b.contact_name ?? '', 'sv'))
  // Who is who at the door: the person's current organisation and county beside the name (only
  // for people the reader may see; the others are listed without a name already).
  const contexts = await personContexts(c.get('db'), listed.filter((p) => p.contact_name).map((p) => p.contact_id))
  const rows = listed.map((p) => ({ ...p, context: p.contact_name ? contextText(contexts.get(p.contact_id!)) : '' }))
  return { over, rows }
}

const checkInForm = z.object({ attendance: z.enum(['attended', 'registered']) })

/** Staff pages: registration settings, registrations and invitations; the check-in list. */
export const eventStaffPages = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}/registration', requireRole('viewer'), idParam, async (c) => settingsPage(c, await load(c)))
  .post('/:id{[0-9a-fA-F-]{36}}/registration', requireRole('editor'), idParam, async (c) => {
    const activity = await load(c)
    const values = await formValues(c)
    const { input, field } = settingsFromForm(values)
    const t = c.get('t')
    const parsed = registrationSettings.safeParse(input)
    const remap = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [field(k), v]))
    if (!parsed.success) return settingsPage(c, activity, { values, errors: remap(fieldErrors(parsed.error, t)) }, 422)
    try {
      await saveSettings(c.get('db'), c.get('deps').outreach?.jobs, activity.id, parsed.data, { userId: c.get('user')!.id })
    } catch (err) {
      if (err instanceof ValidationError) return settingsPage(c, activity, { values, errors: remap(translateFields(err.fields, t)) }, 422)
      if (err instanceof StaleVersionError) return settingsPage(c, activity, { values: valuesOf(await findSettings(c.get('db'), activity.id)), conflict: true }, 409)
      throw err
    }
    setFlash(c, 'events.saved')
    return redirectAfterWrite(c, `/activities/${activity.id}/registration`)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/registration/invite', requireRole('editor'), idParam, async (c) => {
    const activity = await load(c)
    const values = await formValues(c)
    const t = c.get('t')
    const outreach = c.get('deps').outreach
    if (!outreach) throw new UnavailableError()
    const emails = textOf(values.emails) ?? ''
    const segmentId = textOf(values.segment_id) ?? ''
    const source = values.source === 'participants' ? { source: 'participants' as const }
      : values.source === 'segment' ? { source: 'segment' as const, segment_id: UUID.test(segmentId) ? segmentId : '00000000-0000-0000-0000-000000000000' }
      : { source: 'emails' as const, emails: emails.split(/\r?\n/).slice(0, 2000) }
    if (source.source === 'emails' && !emails.trim()) return settingsPage(c, activity, { inviteErrors: { emails: t('events.invite_empty') }, emails }, 422)
    try {
      const invited = await invite(c.get('db'), outreach.jobs, activity.id, source, c.get('lang') === 'en' ? 'en' : 'sv', { userId: c.get('user')!.id }, t)
      return settingsPage(c, activity, { invited })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const key = source.source === 'segment' ? 'segment_id' : 'emails'
      return settingsPage(c, activity, { inviteErrors: { [key]: Object.values(translateFields(err.fields, t))[0] ?? t('validation.invalid') }, emails }, 422)
    }
  })
  // Cancelling for someone (who phoned): a state change like a self-cancel, so no version; a
  // second cancel, or one on a stale page, says it was already done.
  .post('/:id{[0-9a-fA-F-]{36}}/registration/:rid{[0-9a-fA-F-]{36}}/cancel', requireRole('editor'), idParam, async (c) => {
    const activity = await load(c)
    const rid = c.req.param('rid')
    if (!UUID.test(rid)) throw new NotFoundError()
    const outreach = c.get('deps').outreach
    if (!outreach) throw new UnavailableError()
    const result = await cancelByStaff(c.get('db'), outreach.jobs, activity.id, rid, { userId: c.get('user')!.id })
    setFlash(c, result === 'cancelled' ? 'events.staff_cancelled' : 'events.staff_cancel_already')
    return redirectAfterWrite(c, `/activities/${activity.id}/registration#registrations-h`)
  })
  .get('/:id{[0-9a-fA-F-]{36}}/check-in', requireRole('viewer'), idParam, async (c) => {
    const activity = await load(c)
    const { over, rows } = await checkInRows(c, activity)
    const t = c.get('t')
    return render(c, 'events/check-in', { title: t('events.checkin_title', { title: activity.title }), activity, over, rows, canEdit: c.get('user') && ['editor', 'admin'].includes(c.get('user')!.role) })
  })
  // Marking one person at the door is a state, not an edit of the record: it needs no version, so
  // two staff members checking people in at once never conflict. It is audited on the activity.
  .post('/:id{[0-9a-fA-F-]{36}}/check-in/:pid{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const activity = await load(c)
    const participant = activity.participants.find((p) => p.id === c.req.param('pid'))
    if (!participant || !participant.contact_id) throw new NotFoundError()
    const values = await formValues(c)
    const parsed = checkInForm.safeParse({ attendance: values.attendance })
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, c.get('t')))
    if (!['registered', 'attended', 'no_show'].includes(participant.attendance)) throw new ValidationError({ attendance: c.get('t')('validation.invalid') })
    await c.get('db').transaction().execute((tx) => setAttendance(tx, activity.id, participant.contact_id!, parsed.data.attendance, { userId: c.get('user')!.id }, { undo: true }))
    if (!isHtmx(c)) return redirectTo(c, `/activities/${activity.id}/check-in#p-${participant.id}`)
    const reloaded = await load(c)
    const { over, rows } = await checkInRows(c, reloaded)
    const row = rows.find((p) => p.id === participant.id)!
    const attended = rows.filter((p) => p.attendance === 'attended').length
    return render(c, 'events/_check-in-update', { p: row, activity: reloaded, over, canEdit: true, attended, total: rows.length })
  })

