import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { formFields, formValues, listOf } from '../web/form.ts'
import { NotFoundError, UnavailableError, ValidationError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { render } from '../web/render.ts'
import { fieldErrors } from '../web/validate.ts'
import { idParam } from '../web/validate.ts'
import { listLists } from './lists.repo.ts'
import { subscribeForm } from './lists.schema.ts'
import { archive, archivedIssue } from './archive.repo.ts'
import { confirmSubscription, subscribe } from './subscribe.service.ts'
import { bodyHtml } from './issue-mail.ts'

function outreachOf(c: Context<AppEnv>) {
  const o = c.get('deps').outreach
  if (!o) throw new UnavailableError()
  return o
}

async function signupPage(c: Context<AppEnv>, form: Record<string, unknown> = {}, errors: Record<string, string> = {}, status = 200) {
  const db = c.get('db')
  const [lists, issues] = await Promise.all([listLists(db, { publicOnly: true }), archive(db)])
  return render(c, 'newsletter/index', { title: c.get('t')('newsletter.title'), lists, issues, form, errors }, status)
}

/** The public newsletter pages: sign-up, double opt-in and the archive. No login. */
export const newsletterPages = new Hono<AppEnv>()
  .get('/', publicAccess, (c) => signupPage(c))
  .post('/subscribe', publicAccess, async (c) => {
    const t = c.get('t')
    const values = await formValues(c)
    const input = { name: values.name ?? '', email: values.email ?? '', organisation: values.organisation, list_ids: listOf(values.list_ids) }
    const parsed = subscribeForm.safeParse(input)
    if (!parsed.success) return signupPage(c, input, fieldErrors(parsed.error, t), 422)
    const outreach = outreachOf(c)
    try {
      await subscribe(c.get('db'), outreach.jobs, parsed.data, t('newsletter.consent_text'), c.get('lang'))
    } catch (err) {
      if (err instanceof ValidationError) return signupPage(c, input, translateFields(err.fields, t), 422)
      throw err
    }
    return render(c, 'newsletter/check-inbox', { title: t('newsletter.check_title'), dev: outreach.mailer.dev })
  })
  // The link in the e-mail only opens this page: link scanners that follow it confirm nothing.
  // A script from our own origin (CSP allows no inline script) submits the form at once.
  .get('/confirm', publicAccess, (c) => {
    const token = (c.req.query('token') ?? '').slice(0, 100)
    return render(c, 'newsletter/confirm', { title: c.get('t')('newsletter.confirm_title'), token })
  })
  .post('/confirm', publicAccess, async (c) => {
    const { token = '' } = await formFields(c)
    const result = await confirmSubscription(c.get('db'), token)
    const ok = result === 'confirmed' || result === 'already'
    return render(c, 'newsletter/confirmed', { title: c.get('t')('newsletter.confirm_title'), result }, ok ? 200 : 400)
  })
  .get('/issues/:id', publicAccess, idParam, async (c) => {
    const issue = await archivedIssue(c.get('db'), c.req.param('id'))
    if (!issue) throw new NotFoundError()
    return render(c, 'newsletter/issue', { title: issue.subject, issue, html: issue.body_html ?? bodyHtml(issue.body) })
  })
