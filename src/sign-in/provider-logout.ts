import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { endSessionUrl } from './oidc.client.ts'
import { publicOrigin } from './sign-in.service.ts'
import { providerAddress, type ProviderAddress } from '../web/redirect.ts'

/**
 * The provider's logout address for a session that came from it (OpenID Connect RP-initiated
 * logout), coming back to our login page; undefined when there is none or it cannot be reached
 * (our own session has ended either way).
 */
export async function providerLogoutUrl(c: Context<AppEnv>, provider: 'oidc' | 'saml'): Promise<ProviderAddress | undefined> {
  const { oidc } = c.get('deps').config.signIn
  if (provider !== 'oidc' || !oidc) return undefined
  try {
    const url = await endSessionUrl(oidc, `${publicOrigin(c)}/login`)
    return url ? providerAddress(url) : undefined
  } catch {
    return undefined
  }
}
