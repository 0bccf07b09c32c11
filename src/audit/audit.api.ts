import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { isoDate } from '../register/fields.ts'
import { validate } from '../web/validate.ts'
import { pageAudit } from './audit.repo.ts'

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'restore', 'merge', 'erase', 'restrict', 'extract', 'export', 'view'] as const
const date = isoDate
export const auditQuery = z.strictObject({
  entity_type: z.string().max(50).optional(),
  entity_id: z.uuid().optional(),
  user_id: z.uuid().optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: date.optional(),
  to: date.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
})

export const auditApi = new Hono<AppEnv>().get('/', requireRole('admin'), validate('query', auditQuery), async (c) => {
  const page = await pageAudit(c.get('db'), c.req.valid('query'))
  return c.json({
    data: page.data.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      user_id: r.user_id,
      entity_type: r.entity_type,
      entity_id: r.entity_id,
      action: r.action,
      changes: r.changes,
    })),
    next_cursor: page.next_cursor,
  })
})
