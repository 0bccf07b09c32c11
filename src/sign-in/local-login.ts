import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Role } from '../db/schema.ts'
import { ForbiddenError } from '../web/errors.ts'
import type { SignInConfig } from './sign-in.config.ts'

export class LocalLoginOffError extends ForbiddenError {}

/**
 * LOCAL_LOGIN=off: passwords are refused, page and API alike, except for the break-glass
 * administrators in BREAK_GLASS_EMAILS (for when the provider is down or misconfigured).
 * Checked before the password (nothing to guess for anyone else) and after it (the role).
 */
export function assertLocalLoginAllowed(signIn: SignInConfig, email: string, role?: Role): void {
  if (signIn.localLogin) return
  if (!signIn.breakGlassEmails.includes(email.trim().toLowerCase())) throw new LocalLoginOffError()
  if (role !== undefined && role !== 'admin') throw new LocalLoginOffError()
}

export interface ProviderLink {
  href: string
  name: string
}

/** What the login page offers: the providers first, the password form if allowed or asked for. */
export function loginOptions(c: Context<AppEnv>, next: string) {
  const { signIn } = c.get('deps').config
  const q = next === '/' ? '' : `?next=${encodeURIComponent(next)}`
  const providers: ProviderLink[] = []
  if (signIn.oidc) providers.push({ href: `/auth/oidc/login${q}`, name: signIn.oidc.name })
  if (signIn.saml) providers.push({ href: `/auth/saml/login${q}`, name: signIn.saml.name })
  // With passwords off the form still opens at /login?local=1, for break-glass administrators.
  const showPassword = signIn.localLogin || c.req.query('local') === '1'
  return { providers, showPassword, localLogin: signIn.localLogin }
}
