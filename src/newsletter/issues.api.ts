import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError, UnavailableError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { createIssue as createInput, sendIssue } from './issues.schema.ts'
import { createIssue, findIssue, scheduleIssue, sendTestCopy, toApiIssue } from './issues.service.ts'
import { sendingProgress } from './progress.repo.ts'

/** Newsletter issues: compose, send a test copy, schedule or send (as background jobs). */
export const newsletterIssuesApi = new Hono<AppEnv>()
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const issue = await createIssue(c.get('db'), c.req.valid('json'), { userId: c.get('user')!.id })
    c.header('Location', `/api/v1/newsletter/issues/${issue.id}`)
    return c.json(toApiIssue(issue), 201)
  })
  .get('/:id', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const issue = await findIssue(db, c.req.param('id'))
    if (!issue) throw new NotFoundError()
    return c.json({ ...toApiIssue(issue), progress: await sendingProgress(db, issue.id) })
  })
  .post('/:id/send', requireRole('editor'), idParam, validate('json', sendIssue), async (c) => {
    const outreach = c.get('deps').outreach
    if (!outreach) throw new UnavailableError()
    const db = c.get('db')
    const { scheduled_at, test_to } = c.req.valid('json')
    if (test_to) {
      const issue = await findIssue(db, c.req.param('id'))
      if (!issue) throw new NotFoundError()
      await sendTestCopy(outreach.mailer, outreach.base, issue, test_to, c.get('t')('newsletter.mail_footer'))
      return c.json({ ...toApiIssue(issue), test_sent_to: test_to })
    }
    const issue = await scheduleIssue(db, outreach.jobs, c.req.param('id'), { userId: c.get('user')!.id }, scheduled_at ? new Date(scheduled_at) : undefined)
    return c.json(toApiIssue(issue), 202)
  })
