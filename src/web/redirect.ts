import type { Context } from 'hono'
import type { RedirectStatusCode } from 'hono/utils/http-status'

// Any origin will do: a target is kept only if it resolves to this same, unreachable one.
const HERE = 'http://navet.invalid'

/**
 * `target` as a path on our own origin, or `fallback`. Parsed the way a browser parses a
 * Location, so `//evil.example`, `/\evil.example`, `/\t/evil.example` and `https://evil.example`
 * all resolve elsewhere and are refused; so is one that resolves to such a path ("/.//evil.example").
 */
export function sameOriginPath(target: string | undefined | null, fallback = '/'): string {
  if (!target || !target.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(target, HERE)
  } catch {
    return fallback
  }
  if (url.origin !== HERE) return fallback
  // A path the parser normalised into one a browser reads as another host ("/.//evil.example"
  // becomes "//evil.example"): refused, so that the answer is safe to use as it is.
  const path = url.pathname + url.search + url.hash
  return path.startsWith('//') ? fallback : path
}

/**
 * An address off our origin that configuration made (an identity provider's sign-in or logout
 * page), never one taken from a request. The only kind of target allowed to leave the origin.
 */
export interface ProviderAddress {
  readonly provider: URL
}

export const providerAddress = (url: URL | string): ProviderAddress => ({ provider: new URL(url) })

/** Where a redirect may go: a path on our origin (else `fallback`), or a configured provider. */
export function locationOf(target: string | ProviderAddress, fallback = '/'): string {
  return typeof target === 'string' ? sameOriginPath(target, fallback) : target.provider.href
}

/** The one way the product redirects: never off its own origin but to a configured provider. */
export function redirectTo(c: Context, target: string | ProviderAddress, status: RedirectStatusCode = 303, fallback = '/'): Response {
  return c.redirect(locationOf(target, fallback), status)
}
