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
      let originHost: string | null = null
      try {
        originHost = new URL(origin).host
      } catch {
        originHost = null
      }
      if (!isOurHost(c, originHost)) throw new CsrfError()
    }
    await next()
  }
}

/**
 * Whether a host (an Origin's, a Referer's) is ours: the Host header's, or the configured
 * PUBLIC_URL's — never X-Forwarded-Host: it passes through a proxy that does not set it, so reading
 * it would let the sender choose which origin counts as ours (README, Security). The scheme is not
 * compared: behind a proxy that ends TLS the request reaches us as http.
 */
export function isOurHost(c: Context<AppEnv>, host: string | null): boolean {
  if (!host) return false
  const own = c.req.header('host') || new URL(c.req.url).host
  const publicUrl = c.get('deps')?.config.signIn?.publicUrl
  return host === own || (!!publicUrl && host === new URL(publicUrl).host)
}

export class CsrfError extends ForbiddenError {}
