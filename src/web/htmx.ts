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

/** Redirect after a write: htmx follows HX-Redirect, a plain browser a 303. */
export function redirectAfterWrite(c: Context, location: string): Response {
  if (isHtmx(c)) {
    c.header('HX-Redirect', location)
    return c.body(null, 200)
  }
  return c.redirect(location, 303)
}

/** Only same-site relative paths: `//evil.example` and `/\evil` are open redirects. */
export function safeNext(next: string | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback
  return next
}
