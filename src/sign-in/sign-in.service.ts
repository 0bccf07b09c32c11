import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { rotateSession } from '../auth/auth.service.ts'
import { setSessionCookie } from '../auth/session-cookie.ts'
import type { MessageKey } from '../web/i18n/catalogue.ts'
import { render } from '../web/render.ts'
import { signInExternalUser, SignInRefused, type ExternalIdentity } from './external-user.ts'
import { redirectTo } from '../web/redirect.ts'
import { forwarded } from '../auth/proxy.ts'

/** Where the provider sends people back: PUBLIC_URL, else this request's own origin. */
export function publicOrigin(c: Context<AppEnv>): string {
  const { config } = c.get('deps')
  if (config.signIn.publicUrl) return config.signIn.publicUrl
  const url = new URL(c.req.url)
  const proto = forwarded(c, 'x-forwarded-proto')
  const host = forwarded(c, 'x-forwarded-host')
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`
  if (host) url.host = host
  return url.origin
}

export type FailureReason = 'expired' | 'invalid' | 'provider' | 'unavailable' | 'no_access' | 'not_configured' | SignInRefused['reason']

/** A friendly page instead of an error: what happened, and a way back to the sign-in page. */
export function signInFailed(c: Context<AppEnv>, reason: FailureReason, status: 400 | 403 | 404 | 503, providerName = ''): Response {
  const t = c.get('t')
  const key = `signin.error.${reason}` as MessageKey
  c.header('Cache-Control', 'no-store')
  return render(c, 'sign-in/failed', { title: t('signin.failed_title'), message: t(key, { name: providerName }) }, status)
}

/** The person is who the provider says, with the role their groups give: open a session. */
export async function finishExternalSignIn(
  c: Context<AppEnv>,
  who: ExternalIdentity,
  origin: { provider: 'oidc' | 'saml'; sid?: string | undefined },
  next: string,
): Promise<Response> {
  try {
    const user = await signInExternalUser(c.get('db'), who)
    const { token, expiresAt } = await rotateSession(c, user.id, 'browser', origin)
    setSessionCookie(c, token, expiresAt)
    return redirectTo(c, next)
  } catch (err) {
    if (err instanceof SignInRefused) {
      c.get('log').info({ provider: origin.provider, reason: err.reason }, 'sign-in refused')
      return signInFailed(c, err.reason, 403)
    }
    throw err
  }
}
