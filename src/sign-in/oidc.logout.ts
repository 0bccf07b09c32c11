import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Executor } from '../db/write.ts'
import { oidcConfiguration } from './oidc.client.ts'
import type { OidcConfig } from './sign-in.config.ts'

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout'
const keySets = new WeakMap<OidcConfig, ReturnType<typeof createRemoteJWKSet>>()

/**
 * Validates a logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6) and ends the
 * sessions it names: by the provider's session id `sid`, else every provider session of `sub`.
 */
export async function endBackchannelSessions(db: Executor, oidc: OidcConfig, logoutToken: string): Promise<void> {
  const meta = (await oidcConfiguration(oidc)).serverMetadata()
  let jwks = keySets.get(oidc)
  if (!jwks) keySets.set(oidc, (jwks = createRemoteJWKSet(new URL(meta.jwks_uri!))))
  const { payload } = await jwtVerify(logoutToken, jwks, { issuer: meta.issuer, audience: oidc.clientId, maxTokenAge: '10m' })
  const events = payload.events as Record<string, unknown> | undefined
  if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object') throw new TypeError('not a logout token')
  if (payload.nonce !== undefined) throw new TypeError('a logout token has no nonce')
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined
  if (sid) {
    await db.deleteFrom('sessions').where('provider', '=', 'oidc').where('provider_sid', '=', sid).execute()
  } else if (payload.sub) {
    const sub = payload.sub
    await db
      .deleteFrom('sessions')
      .where('provider', '=', 'oidc')
      .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('external_issuer', '=', meta.issuer).where('external_subject', '=', sub))
      .execute()
  } else {
    throw new TypeError('a logout token names sid or sub')
  }
}
