import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import { SESSION_COOKIE } from '../auth/session-cookie.ts'
import { isApi } from './htmx.ts'

export const PRIVATE_NO_STORE = 'private, no-store'

/**
 * What is made for someone signed in (pages, exports, the API) stays out of every cache, the
 * browser's own included: a shared computer's back button or disk cache would otherwise show a
 * register extract to the next person. Pages for visitors without a session keep what their
 * route chose (the idea bank's public caching).
 */
export const cachePolicy: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  const personal =
    c.get('session') !== null ||
    getCookie(c, SESSION_COOKIE) !== undefined ||
    c.req.header('authorization') !== undefined ||
    isApi(c) ||
    c.req.query('format') !== undefined ||
    c.res.headers.has('set-cookie')
  if (personal) c.res.headers.set('Cache-Control', PRIVATE_NO_STORE)
}
