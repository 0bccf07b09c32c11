import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { safeNext } from '../web/htmx.ts'
import { groupList, roleForGroups } from './role-map.ts'
import { samlClient, validateSamlResponse } from './saml.client.ts'
import { finishExternalSignIn, publicOrigin, signInFailed } from './sign-in.service.ts'
import { providerAddress, redirectTo } from '../web/redirect.ts'

export const SAML_ACS_PATH = '/auth/saml/acs'
const acsUrl = (c: Context<AppEnv>) => `${publicOrigin(c)}${SAML_ACS_PATH}`

/** Which check refused a response, for the log (never the assertion or its attributes). */
function reason(err: unknown): string {
  const m = (err as Error).message ?? ''
  for (const r of ['signature', 'expired', 'audience', 'InResponseTo', 'issuer', 'recipient', 'replayed', 'subject']) if (m.includes(r)) return r
  return (err as Error).name ?? 'error'
}

export const samlRoutes = new Hono<AppEnv>()
  // A stable address for the provider's administrator: our entity id, ACS URL and bindings.
  .get('/metadata', publicAccess, (c) => {
    const saml = c.get('deps').config.signIn.saml
    if (!saml) return signInFailed(c, 'not_configured', 404)
    const xml = samlClient(c.get('db'), saml, acsUrl(c)).generateServiceProviderMetadata(null, null)
    return c.body(xml, 200, { 'content-type': 'application/samlmetadata+xml; charset=utf-8' })
  })
  .get('/login', publicAccess, async (c) => {
    const saml = c.get('deps').config.signIn.saml
    if (!saml) return signInFailed(c, 'not_configured', 404)
    const url = await samlClient(c.get('db'), saml, acsUrl(c)).getAuthorizeUrlAsync(safeNext(c.req.query('next')), undefined, {})
    // Leaves our origin by design: to the configured SAML_ENTRY_POINT only.
    return redirectTo(c, providerAddress(url))
  })
  .post('/acs', publicAccess, async (c) => {
    const saml = c.get('deps').config.signIn.saml
    if (!saml) return signInFailed(c, 'not_configured', 404)
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    if (typeof form.SAMLResponse !== 'string') return signInFailed(c, 'invalid', 400)
    let who
    try {
      who = await validateSamlResponse(c.get('db'), saml, acsUrl(c), form.SAMLResponse)
    } catch (err) {
      c.get('log').warn({ provider: 'saml', reason: reason(err) }, 'saml sign-in refused')
      return signInFailed(c, 'invalid', 400)
    }
    const role = roleForGroups(saml.roleMap, groupList(who.groups))
    if (!role) {
      c.get('log').info({ provider: 'saml', reason: 'no_access' }, 'sign-in refused')
      return signInFailed(c, 'no_access', 403, saml.name)
    }
    const next = safeNext(typeof form.RelayState === 'string' ? form.RelayState : undefined)
    return finishExternalSignIn(c, { ...who, role }, { provider: 'saml', sid: who.sessionIndex }, next)
  })
