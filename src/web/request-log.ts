import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'

// A calendar feed's address is its key (calendar programs cannot log in): never in the log.
const SECRET_PATH = /^\/calendar\/feed\/[^/]+$/
// A path segment is a name or an id; anything else (a crafted value, a typed name) is not logged.
const PLAIN_SEGMENT = /^[\w.:~-]{0,80}$/
const loggedPath = (path: string) =>
  SECRET_PATH.test(path) ? '/calendar/feed/[redacted]' : path.split('/').map((s) => (PLAIN_SEGMENT.test(s) ? s : '…')).join('/')

/** One line per request: id, method, path (no query: it may hold names), status, time, user id. */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now()
  const log = c.get('deps').log.child({ req_id: c.get('requestId') })
  c.set('log', log)
  await next()
  const status = c.res.status
  const entry = {
    method: c.req.method,
    path: loggedPath(c.req.path),
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    user_id: c.get('user')?.id,
  }
  if (status >= 500) log.error(entry, 'request failed')
  else if (c.req.path === '/healthz' || c.req.path.startsWith('/static/')) log.debug(entry, 'request')
  else log.info(entry, 'request')
}
