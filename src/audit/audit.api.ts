import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { listApi } from '../web/list.ts'
import { auditList } from './audit.list.ts'

/** `GET /api/v1/audit`: the audit log by the list protocol (filters, keyset, CSV), for admins. */
export const auditApi = new Hono<AppEnv>().get('/', requireRole('admin'), listApi(auditList))
