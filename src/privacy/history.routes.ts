import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { auditQuery } from '../audit/audit.api.ts'
import { pageAudit, type AuditRow } from '../audit/audit.repo.ts'
import { requireRole } from '../auth/roles.ts'
import { audit } from '../db/write.ts'
import { CSV_CHUNK_ROWS, csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { queryOf } from '../web/query.ts'
import { guardContactView } from './visibility.ts'
import { auditExport } from '../register/export-audit.ts'
export { auditExport }

const show = (v: unknown) => (v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))

/** One line per changed field: the readable audit trail. */
function lines(rows: AuditRow[]) {
  return rows.flatMap((r) => {
    const fields = Object.entries(r.changes)
    const base = { id: r.id, at: r.at, who: r.user_name, user_id: r.user_id, action: r.action, entity_type: r.entity_type, entity_id: r.entity_id }
    if (!fields.length) return [{ ...base, field: '', before: '', after: '' }]
    return fields.map(([field, [before, after]]) => ({ ...base, field, before: show(before), after: show(after) }))
  })
}

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
  return render(c, 'privacy/history', { title: c.get('t')('history.title'), lines: lines(page.data), back: null, filters: null })
})

/** `/admin/audit`: the global audit log with filters, and its CSV export (itself audited). */
export const auditPages = new Hono<AppEnv>().get('/', requireRole('admin'), async (c) => {
  const raw = queryOf(c) as Record<string, string | string[]>
  const { format, ...rest } = raw
  const q = parseOrThrow(c, auditQuery, { ...rest, limit: format === 'csv' ? '200' : (rest.limit ?? '100') })
  const db = c.get('db')
  if (format === 'csv') {
    // Streamed a chunk of entries at a time (never the whole log in memory); audited with the
    // number of lines once the last chunk is read.
    const chunks = async function* () {
      let cursor: string | undefined
      do {
        const page = await pageAudit(db, { ...q, cursor, limit: CSV_CHUNK_ROWS })
        yield lines(page.data).map((l) => [l.at, l.who ?? 'system', l.user_id, l.entity_type, l.entity_id, l.action, l.field, l.before, l.after])
        cursor = page.next_cursor ?? undefined
      } while (cursor)
    }
    return csvResponse(c, 'audit.csv', ['at', 'user', 'user_id', 'entity_type', 'entity_id', 'action', 'field', 'before', 'after'],
      { [Symbol.asyncIterator]: chunks }, { audit: { list: '/admin/audit', filters: rest } })
  }
  const page = await pageAudit(db, q)
  const users = await db.selectFrom('users').select(['id', 'name']).orderBy('sort_name').execute()
  const next = page.next_cursor ? '?' + new URLSearchParams({ ...(rest as Record<string, string>), cursor: page.next_cursor }).toString() : null
  const csv = '?' + new URLSearchParams({ ...(rest as Record<string, string>), format: 'csv' }).toString()
  return render(c, 'privacy/history', { title: c.get('t')('audit.title'), lines: lines(page.data), filters: { values: rest, users }, next, csv, entityLinks: true })
})

