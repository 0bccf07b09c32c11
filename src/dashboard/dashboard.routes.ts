import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { pageAudit } from '../audit/audit.repo.ts'
import { render } from '../web/render.ts'

export const dashboard = new Hono<AppEnv>().get('/', requireRole('viewer'), async (c) => {
  const user = c.get('user')!
  const recent = await pageAudit(c.get('db'), { user_id: user.id, limit: 10 })
  return render(c, 'dashboard/index', { title: c.get('t')('dashboard.title'), recent: recent.data })
})
