import type { Context } from 'hono'
import { audit, type Executor } from '../db/write.ts'

/**
 * An export of personal data, audited: who, which list, which filters, how many rows. The
 * export has no record of its own: the entity is the exporting user. A file fetched without a
 * signed-in user (none is served today) is not audited.
 */
export async function auditExport(c: Context, list: string, filters: Record<string, unknown>, rows: number): Promise<void> {
  const user = c.get('user') as { id: string } | null | undefined
  if (!user) return
  await audit(c.get('db') as Executor, { userId: user.id }, 'export', user.id, 'export', { list: [null, list], filters: [null, filters], rows: [null, rows] })
}
