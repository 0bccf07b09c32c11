import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { sendingOverview } from '../newsletter/progress.repo.ts'
import { render } from '../web/render.ts'

const SHOWN_STATES = new Set(['created', 'retry', 'active', 'failed'])

/** The admin's view of background work: queues, sends in progress, failures and retries. */
export const jobsPage = new Hono<AppEnv>()
  .get('/', requireRole('admin'), async (c) => {
    const outreach = c.get('deps').outreach
    const sends = await sendingOverview(c.get('db'))
    let queues: { name: string; queued: number; active: number; failed: number; total: number }[] = []
    let jobs: { queue: string; id: string; state: string; retryCount: number; createdOn: Date; output: string }[] = []
    if (outreach) {
      const boss = outreach.jobs.boss
      const found = await boss.getQueues(outreach.jobs.names)
      queues = found.map((q) => ({ name: q.name, queued: q.queuedCount, active: q.activeCount, failed: q.failedCount, total: q.totalCount }))
      for (const name of outreach.jobs.names) {
        const list = await boss.findJobs(name, { limit: 50 })
        for (const j of list) {
          if (!SHOWN_STATES.has(j.state)) continue
          const output = j.output && typeof j.output === 'object' && 'message' in j.output ? String((j.output as { message: unknown }).message) : ''
          jobs.push({ queue: name, id: j.id, state: j.state, retryCount: (j as { retryCount?: number }).retryCount ?? 0, createdOn: j.createdOn, output })
        }
      }
      jobs = jobs.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime()).slice(0, 50)
    }
    return render(c, 'admin/jobs', { title: c.get('t')('jobs.title'), queues, jobs, sends, running: !!outreach, dev: outreach?.mailer.dev ?? false })
  })
