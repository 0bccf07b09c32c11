import { locationOf, redirectTo, sameOriginPath, type ProviderAddress } from './redirect.ts'
import type { Context } from 'hono'

export function isHtmx(c: Context): boolean {
  return c.req.header('HX-Request') === 'true'
}

/**
 * A fragment is wanted when htmx asks for it — but not for a boosted navigation or a history
 * restore, which replace the whole page.
 */
export function isPartial(c: Context): boolean {
  return isHtmx(c) && c.req.header('HX-Boosted') !== 'true' && c.req.header('HX-History-Restore-Request') !== 'true'
}

export function isApi(c: Context): boolean {
  return c.req.path === '/api' || c.req.path.startsWith('/api/')
}

/** Redirect after a write: htmx follows HX-Redirect, a plain browser a 303. Never off our origin. */
export function redirectAfterWrite(c: Context, location: string | ProviderAddress): Response {
  if (isHtmx(c)) {
    c.header('HX-Redirect', locationOf(location))
    return c.body(null, 200)
  }
  return redirectTo(c, location)
}

/** A `next` or `back` parameter as a path on our origin, else `fallback` (see web/redirect.ts). */
export const safeNext = (next: string | undefined, fallback = '/'): string => sameOriginPath(next, fallback)
