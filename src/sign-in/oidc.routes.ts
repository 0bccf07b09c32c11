import { Hono, type Context } from 'hono'
import { AuthorizationResponseError } from 'openid-client'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { safeNext } from '../web/htmx.ts'
import { findLoginRequest, startLoginRequest } from './login-requests.ts'
import { endBackchannelSessions } from './oidc.logout.ts'
import { authorizationUrl, exchangeCode, newChecks, type OidcChecks } from './oidc.client.ts'
import { groupList, roleForGroups } from './role-map.ts'
import { finishExternalSignIn, publicOrigin, signInFailed } from './sign-in.service.ts'
import { providerAddress, redirectTo } from '../web/redirect.ts'

const callbackUrl = (c: Context<AppEnv>) => `${publicOrigin(c)}/auth/oidc/callback`

/** Network trouble reaching the provider, as opposed to an answer we refuse. */
function unreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { code?: string } }
  return e.name === 'TimeoutError' || e.name === 'AbortError' || (e.name === 'TypeError' && e.cause?.code !== undefined) ||
    e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN'
}

/**
 * Why a callback was refused, for the log: the library's error name and code only. Its
 * message and cause may hold claims or the provider's answer, never written down.
 */
function refusal(err: unknown) {
  const e = err as { name?: string; code?: string; error?: string }
  return { name: e.name, code: e.code, error: typeof e.error === 'string' ? e.error.slice(0, 64) : undefined }
}

export const oidcRoutes = new Hono<AppEnv>()
  .get('/login', publicAccess, async (c) => {
    const oidc = c.get('deps').config.signIn.oidc
    if (!oidc) return signInFailed(c, 'not_configured', 404)
    const checks = newChecks()
    let url: URL
    try {
      url = await authorizationUrl(oidc, callbackUrl(c), checks)
    } catch (err) {
      c.get('log').warn({ err: refusal(err) }, 'identity provider unreachable')
      return signInFailed(c, 'unavailable', 503)
    }
    await startLoginRequest(c, 'oidc', { ...checks, next: safeNext(c.req.query('next')) })
    // The one redirect that leaves our origin, by design: to the configured provider only,
    // never to an address taken from the request.
    return redirectTo(c, providerAddress(url))
  })
  .get('/callback', publicAccess, async (c) => {
    const oidc = c.get('deps').config.signIn.oidc
    if (!oidc) return signInFailed(c, 'not_configured', 404)
    const pending = await findLoginRequest(c, 'oidc', true)
    if (!pending) return signInFailed(c, 'expired', 400)
    const callback = new URL(callbackUrl(c))
    for (const [k, v] of new URL(c.req.url).searchParams) callback.searchParams.append(k, v)
    let who
    try {
      who = await exchangeCode(oidc, callback, pending.data as unknown as OidcChecks)
    } catch (err) {
      c.get('log').warn({ err: refusal(err) }, 'oidc sign-in refused')
      if (err instanceof AuthorizationResponseError) return signInFailed(c, 'provider', 400)
      return unreachable(err) ? signInFailed(c, 'unavailable', 503) : signInFailed(c, 'invalid', 400)
    }
    const role = roleForGroups(oidc.roleMap, groupList(who.groups))
    if (!role) {
      c.get('log').info({ provider: 'oidc', reason: 'no_access' }, 'sign-in refused')
      return signInFailed(c, 'no_access', 403, oidc.name)
    }
    const next = safeNext(typeof pending.data.next === 'string' ? pending.data.next : undefined)
    return finishExternalSignIn(c, { ...who, role }, { provider: 'oidc', sid: who.sid }, next)
  })
  // OpenID Connect Back-Channel Logout: the provider (server to server, no cookies) says a
  // session of its own ended; the Navet sessions opened from it end too.
  .post('/backchannel-logout', publicAccess, async (c) => {
    const oidc = c.get('deps').config.signIn.oidc
    c.header('Cache-Control', 'no-store')
    if (!oidc) return c.json({ error: 'not_configured' }, 404)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const token = form.logout_token
    if (typeof token !== 'string' || token.length > 8192) return c.json({ error: 'invalid_request' }, 400)
    try {
      await endBackchannelSessions(c.get('db'), oidc, token)
      return c.body(null, 200)
    } catch (err) {
      c.get('log').warn({ err: refusal(err) }, 'back-channel logout refused')
      return c.json({ error: 'invalid_request' }, 400)
    }
  })
