import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { outsidePoolOf } from '../db/connect.ts'
import { within } from '../within.ts'

const PROBE_TIMEOUT_MS = 3000

/**
 * Does the database answer? Through the pool as a request would — unless every pooled connection
 * is taken and requests queue for one (a burst of users): then on a connection of its own, so a
 * busy pool is not reported as a database that is down (which would get a healthy instance
 * restarted by its orchestrator in the middle of the burst).
 */
export async function databaseIsUp(db: AppEnv['Variables']['db']): Promise<boolean> {
  const outside = outsidePoolOf(db)
  const probe = outside?.saturated() ? outside.probe() : sql`select 1`.execute(db)
  return within(PROBE_TIMEOUT_MS, probe.then(() => true, () => false), false)
}

export const health = new Hono<AppEnv>().get('/healthz', publicAccess, async (c) => {
  c.header('Cache-Control', 'no-store')
  if (await databaseIsUp(c.get('db'))) return c.json({ status: 'ok', db: 'ok' })
  return c.json({ status: 'error', db: 'down' }, 503)
})
