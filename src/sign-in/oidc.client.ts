import * as client from 'openid-client'
import type { OidcConfig } from './sign-in.config.ts'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])
// One discovery per provider configuration, kept for the life of the process; a failed one is
// forgotten so that the next sign-in tries again (the provider may have been down at start).
const configurations = new WeakMap<OidcConfig, Promise<client.Configuration>>()

export function oidcConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  let found = configurations.get(oidc)
  if (!found) {
    const issuer = new URL(oidc.issuer)
    const auth = oidc.clientSecret ? client.ClientSecretPost(oidc.clientSecret) : client.None()
    found = client.discovery(issuer, oidc.clientId, undefined, auth, {
      // Plain http only for a provider on this machine (tests, a developer's Keycloak).
      execute: issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? [client.allowInsecureRequests] : [],
      timeout: 10,
    })
    found.catch(() => configurations.delete(oidc))
    configurations.set(oidc, found)
  }
  return found
}

export interface OidcChecks {
  state: string
  nonce: string
  codeVerifier: string
}

export function newChecks(): OidcChecks {
  return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() }
}

export async function authorizationUrl(oidc: OidcConfig, redirectUri: string, checks: OidcChecks): Promise<URL> {
  const config = await oidcConfiguration(oidc)
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: oidc.scopes,
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: 'S256',
  })
}

export interface OidcIdentity {
  issuer: string
  subject: string
  sid: string | undefined
  email: string | undefined
  name: string | undefined
  groups: unknown
}

/**
 * Exchanges the code and validates the ID token: state, PKCE, nonce, issuer, audience, expiry
 * and signature (JWKS fetched again when an unknown key id appears: the provider rotated).
 * Claims missing from the ID token (some providers put e-mail and groups in userinfo only)
 * are read from the userinfo endpoint.
 */
export async function exchangeCode(oidc: OidcConfig, callbackUrl: URL, checks: OidcChecks): Promise<OidcIdentity> {
  const config = await oidcConfiguration(oidc)
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    pkceCodeVerifier: checks.codeVerifier,
    idTokenExpected: true,
  })
  const claims: Record<string, unknown> = { ...tokens.claims()! }
  const missing = claims.email === undefined || claims[oidc.groupsClaim] === undefined
  if (missing && config.serverMetadata().userinfo_endpoint) {
    const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))
    for (const [k, v] of Object.entries(info)) claims[k] ??= v
  }
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    sid: typeof claims.sid === 'string' ? claims.sid : undefined,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    groups: claims[oidc.groupsClaim],
  }
}

/** The provider's end-session address (RP-initiated logout), if it has one. */
export async function endSessionUrl(oidc: OidcConfig, postLogoutRedirectUri: string): Promise<URL | undefined> {
  const config = await oidcConfiguration(oidc)
  if (!config.serverMetadata().end_session_endpoint) return undefined
  return client.buildEndSessionUrl(config, { client_id: oidc.clientId, post_logout_redirect_uri: postLogoutRedirectUri })
}
