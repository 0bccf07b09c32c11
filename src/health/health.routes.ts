import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'

const PROBE_TIMEOUT_MS = 3000

export async function databaseIsUp(db: AppEnv['Variables']['db']): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)))
  const probe = sql`select 1`.execute(db).then(() => true, () => false)
  try {
    return await Promise.race([probe, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export const health = new Hono<AppEnv>().get('/healthz', publicAccess, async (c) => {
  c.header('Cache-Control', 'no-store')
  if (await databaseIsUp(c.get('db'))) return c.json({ status: 'ok', db: 'ok' })
  return c.json({ status: 'error', db: 'down' }, 503)
})
