import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { ForbiddenError } from '../web/errors.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery check on every unsafe request, whatever its content type.
 * Browsers send Sec-Fetch-Site and/or Origin on every POST; a request that has neither comes
 * from a non-browser client, which cannot be carrying a victim's cookies.
 */
// trustProxy is no longer read here (see the Origin comment below); kept so callers need not change.
export function csrfProtection(_trustProxy: boolean, crossSitePaths: readonly (string | RegExp)[] = []): MiddlewareHandler<AppEnv> {
  const exempt = new Set(crossSitePaths.filter((p) => typeof p === 'string'))
  const patterns = crossSitePaths.filter((p) => p instanceof RegExp)
  return async (c, next) => {
    if (SAFE.has(c.req.method) || exempt.has(c.req.path) || patterns.some((p) => p.test(c.req.path))) return next()
    const site = c.req.header('sec-fetch-site')
    const origin = c.req.header('origin')
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CsrfError()
    if (origin !== undefined) {
      if (!ourUrl(c, origin)) throw new CsrfError()
    }
    await next()
  }
}

/**
 * An address (an Origin, a Referer) parsed, when its host is ours: the Host header's, or the
 * configured PUBLIC_URL's — never X-Forwarded-Host: it passes through a proxy that does not set
 * it, so reading it would let the sender choose which origin counts as ours (README, Security).
 * The scheme is not compared: behind a proxy that ends TLS the request reaches us as http.
 */
export function ourUrl(c: Context<AppEnv>, address: string): URL | undefined {
  let url: URL
  try {
    url = new URL(address)
  } catch {
    return undefined
  }
  const own = c.req.header('host') || new URL(c.req.url).host
  const publicUrl = c.get('deps')?.config.signIn?.publicUrl
  return url.host && (url.host === own || (!!publicUrl && url.host === new URL(publicUrl).host)) ? url : undefined
}

export class CsrfError extends ForbiddenError {}
