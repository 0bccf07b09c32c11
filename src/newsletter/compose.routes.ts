import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { createRecord, inTransaction, updateRecord } from '../db/write.ts'
import { findSegment, segmentChoices } from '../segments/segments.service.ts'
import { ConflictError, NotFoundError, StaleVersionError, UnavailableError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { saveForm } from '../web/form-save.ts'
import { formFields, formValues } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { redirectTo } from '../web/redirect.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { composeChoices, composeFromForm, composeIssue, formOfContent, renderContent, SECTIONS, type ComposeInput } from './compose.ts'
import { bodyHtml, issueMail } from './issue-mail.ts'
import { findIssue, scheduleIssue, sendTestCopy, type Issue } from './issues.service.ts'
import { listLists } from './lists.repo.ts'
import { unsubscribeLink } from './links.ts'
import { issueRecipients } from './recipients.ts'

type Values = Record<string, string | string[]>
const ID = '/:id{[0-9a-fA-F-]{36}}'

async function showForm(c: Context<AppEnv>, issue: Issue | null, values: Values, errors: Record<string, string>, status = 200) {
  const db = c.get('db')
  const [lists, segments, choices] = await Promise.all([listLists(db), segmentChoices(db), composeChoices(db)])
  const t = c.get('t')
  const title = issue ? `${t('newsletter.compose_edit')}: ${issue.subject}` : t('newsletter.compose_title')
  return render(c, 'newsletter/compose', { title, issue, values, errors, lists, segments, ...choices, sections: SECTIONS }, status)
}

/** The form's field paths (sections.0.heading) as they are; list errors on the list field. */
function formErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, message] of Object.entries(fields)) out[key.replace(/^(list_ids|segment_id)\..*$/, '$1').replace(/^(sections\.\d+\.[a-z_]+)\.\d+$/, '$1')] ??= message
  return out
}

function outreachOf(c: Context<AppEnv>) {
  const o = c.get('deps').outreach
  if (!o) throw new UnavailableError()
  return o
}

/** The stored columns of a composed issue: its content, the text as `body` and the HTML, rendered now. */
async function columnsOf(c: Context<AppEnv>, input: ComposeInput) {
  const db = c.get('db')
  const t = c.get('t')
  const base = c.get('deps').outreach?.base ?? new URL(c.req.url).origin
  const content = { intro: input.intro, sections: input.sections }
  const rendered = await renderContent(db, content, base, { read: t('newsletter.read_more') })
  return { subject: input.subject, list_ids: input.list_ids, segment_id: input.segment_id, content: JSON.stringify(content), body: rendered.text, body_html: rendered.html }
}

async function checkAudience(c: Context<AppEnv>, input: ComposeInput) {
  const db = c.get('db')
  const t = c.get('t')
  if (input.list_ids.length) {
    const found = await db.selectFrom('newsletter_lists').select('id').where('id', 'in', input.list_ids).where('deleted_at', 'is', null).execute()
    if (found.length !== input.list_ids.length) throw new ValidationError({ list_ids: t('validation.unknown_reference') })
  }
  if (input.segment_id && !(await findSegment(db, input.segment_id))) throw new ValidationError({ segment_id: t('validation.unknown_reference') })
}

async function save(c: Context<AppEnv>, issue: Issue | null) {
  const t = c.get('t')
  const values = await formValues(c)
  const actor = { userId: c.get('user')!.id }
  // Scheduled or sent since the form was opened: what was typed stays, beside the reason.
  if (issue && issue.status !== 'draft') return showForm(c, issue, values, { subject: t('newsletter.not_draft') }, 409)
  return saveForm(c, {
    record: issue, values, parsed: composeIssue.safeParse(composeFromForm(values)), messages: formErrors,
    write: async (input, version) => {
      await checkAudience(c, input)
      const columns = await columnsOf(c, input)
      return inTransaction(c.get('db'), async (tx) => {
        if (!issue) return createRecord(tx, 'newsletter_issues', columns, actor)
        try {
          return await updateRecord(tx, 'newsletter_issues', issue.id, version, columns, actor)
        } catch (err) {
          // Only a draft is edited: once scheduled or sent, what goes out is fixed. Every change of
          // status moves the version, so a send that came while this form was posted is a stale
          // version whose stored row (read under lock) is no longer a draft: say that, not "save again".
          if (err instanceof StaleVersionError && (err.current as Issue).status !== 'draft') throw new ConflictError(undefined, 'newsletter.not_draft')
          throw err
        }
      })
    },
    reload: (stored) => findIssue(c.get('db'), stored.id),
    // The form has no stored-value column: the conflict is said at the subject.
    show: (record, values, errors, status) => showForm(c, record, values, status === 409 ? { subject: t('form.conflict') } : errors, status),
    done: (saved) => redirectAfterWrite(c, `/newsletter/compose/${saved.id}`),
  })
}

async function draft(c: Context<AppEnv>) {
  const issue = await findIssue(c.get('db'), c.req.param('id')!)
  if (!issue) throw new NotFoundError()
  return issue
}

/**
 * Compose, preview, test and send an issue (editors). The preview is the copy a recipient gets:
 * its subject, headers, the HTML part (the same markup, inside the page) and the text part.
 */
export const composePages = new Hono<AppEnv>()
  .get('/', requireRole('editor'), (c) => showForm(c, null, {}, {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get(ID, requireRole('editor'), idParam, async (c) => {
    const db = c.get('db')
    const issue = await draft(c)
    const t = c.get('t')
    const outreach = c.get('deps').outreach
    const base = outreach?.base ?? new URL(c.req.url).origin
    const example = 'x'.repeat(40)
    const mail = outreach
      ? issueMail(outreach.mailer, base, issue, { id: 'preview', email: c.get('user')!.email }, example, t('newsletter.mail_footer'))
      : { text: `${issue.body}\n\n-- \n${t('newsletter.mail_footer')}\n${unsubscribeLink(base, example)}\n`, html: `${issue.body_html ?? bodyHtml(issue.body)}\n<hr>\n<p>${t('newsletter.mail_footer')} ${unsubscribeLink(base, example)}</p>`, headers: {} as Record<string, string> }
    const [recipients, lists, segment] = await Promise.all([
      issueRecipients(db, issue.list_ids, issue.segment_id),
      issue.list_ids.length ? db.selectFrom('newsletter_lists').select(['id', 'name']).where('id', 'in', issue.list_ids).execute() : [],
      issue.segment_id ? findSegment(db, issue.segment_id) : undefined,
    ])
    return render(c, 'newsletter/preview', {
      title: t('newsletter.preview_title', { subject: issue.subject }), issue, mail, from: outreach?.mailer.from ?? null,
      recipientCount: recipients.length, lists, segment, dev: outreach?.mailer.dev ?? true, me: c.get('user')!.email,
    })
  })
  .get(`${ID}/edit`, requireRole('editor'), idParam, async (c) => {
    const issue = await draft(c)
    if (issue.status !== 'draft') return redirectTo(c, `/newsletter/compose/${issue.id}`)
    const values = issue.content ? formOfContent(issue.content, issue) : { subject: issue.subject, intro: issue.body, list_ids: issue.list_ids, segment_id: issue.segment_id ?? '' }
    return showForm(c, issue, { ...values, version: String(issue.version) }, {})
  })
  .post(ID, requireRole('editor'), idParam, async (c) => save(c, await draft(c)))
  // A copy to the signed-in user's own address, marked [TEST]; nothing is recorded.
  .post(`${ID}/test`, requireRole('editor'), idParam, async (c) => {
    const issue = await draft(c)
    const outreach = outreachOf(c)
    await sendTestCopy(outreach.mailer, outreach.base, issue, c.get('user')!.email, c.get('t')('newsletter.mail_footer'))
    setFlash(c, 'newsletter.test_sent')
    return redirectAfterWrite(c, `/newsletter/compose/${issue.id}`)
  })
  .post(`${ID}/send`, requireRole('editor'), idParam, async (c) => {
    const issue = await draft(c)
    const outreach = outreachOf(c)
    const { scheduled_at } = await formFields(c)
    const when = scheduled_at ? new Date(scheduled_at) : undefined
    if (when && (Number.isNaN(when.getTime()) || when.getFullYear() > 9999)) throw new ValidationError({ scheduled_at: c.get('t')('validation.invalid') })
    await scheduleIssue(c.get('db'), outreach.jobs, issue.id, { userId: c.get('user')!.id }, when)
    setFlash(c, when ? 'newsletter.scheduled' : 'newsletter.sending')
    return redirectAfterWrite(c, `/newsletter/compose/${issue.id}`)
  })
