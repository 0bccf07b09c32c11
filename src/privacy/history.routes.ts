import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { AUDIT_ACTIONS, auditLines, auditList } from '../audit/audit.list.ts'
import { pageAudit } from '../audit/audit.repo.ts'
import { requireRole } from '../auth/roles.ts'
import { audit } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'
import { render } from '../web/render.ts'
import { readList } from '../web/list.ts'
import { guardContactView } from './visibility.ts'
import { auditExport } from '../register/export-audit.ts'
export { auditExport }

const params = z.object({ type: z.string().regex(/^[a-z_]{1,40}$/), id: z.uuid() })

/** `/history/:type/:id`: a record's history field by field — who, when, before → after (editors). */
export const historyPages = new Hono<AppEnv>().get('/:type/:id', requireRole('editor'), async (c) => {
  const p = params.safeParse(c.req.param())
  if (!p.success) throw new NotFoundError()
  if (p.data.type === 'contact') {
    const contact = await c.get('db').selectFrom('contacts').select(['id', 'restricted', 'protected_identity']).where('id', '=', p.data.id).executeTakeFirst()
    if (!contact) throw new NotFoundError()
    await guardContactView(c, contact)
  }
  const page = await pageAudit(c.get('db'), { entity_type: p.data.type, entity_id: p.data.id, limit: 200 })
  if (!page.data.length) throw new NotFoundError()
  return render(c, 'privacy/history', { title: c.get('t')('history.title'), lines: auditLines(page.data), back: null, filters: null })
})

/** `/admin/audit`: the global audit log with filters, and its CSV export (itself audited), by the list protocol. */
export const auditPages = new Hono<AppEnv>().get('/', requireRole('admin'), async (c) => {
  const list = readList(c, auditList, { limit: 100 })
  if (list.csv) return list.csv()
  const db = c.get('db')
  const [page, users] = await Promise.all([list.page({ count: false }), db.selectFrom('users').select(['id', 'name']).orderBy('sort_name').execute()])
  return render(c, 'privacy/history', {
    title: c.get('t')('audit.title'), lines: auditLines(page.data), filters: { values: list.query, users, actions: AUDIT_ACTIONS },
    list: list.links, next: page.next_cursor, entityLinks: true,
  })
})
