import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import Provider from 'oidc-provider'

export interface TestAccount {
  email: string
  name: string
  groups: string[]
}

export const CLIENT_ID = 'navet'
export const CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough'

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  return { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' }
}

/** Rewrites the ID token the token endpoint is about to send (claims changed, signed again with the provider's key). */
export type Tamper = (claims: Record<string, unknown>) => Record<string, unknown>

/**
 * A real OpenID provider (`oidc-provider`) on a free port of this machine, with one client and
 * the accounts given (their groups in a `groups` claim). Its login and consent pages are the
 * library's development pages: any password is accepted for a known login.
 */
export async function startOidcProvider(accounts: Record<string, TestAccount>) {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let keys = [await signingKey()]
  let redirectUris = ['http://localhost/auth/oidc/callback']
  let tamper: Tamper | undefined
  let provider!: Provider

  function build() {
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: redirectUris,
          post_logout_redirect_uris: redirectUris.map((u) => u.replace('/auth/oidc/callback', '/login')),
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
          backchannel_logout_uri: redirectUris[0]!.replace('/callback', '/backchannel-logout'),
          backchannel_logout_session_required: true,
        },
      ],
      jwks: { keys },
      scopes: ['openid', 'email', 'profile', 'groups'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      findAccount: (_ctx, sub) => {
        const a = accounts[sub]
        if (!a) return undefined
        return { accountId: sub, claims: () => ({ sub, email: a.email, email_verified: true, name: a.name, groups: a.groups }) }
      },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true }, backchannelLogout: { enabled: true } },
      cookies: { keys: ['a-cookie-signing-key-for-tests'] },
    })
    provider.use(async (ctx, next) => {
      await next()
      const body = ctx.body as { id_token?: string } | undefined
      if (tamper && ctx.path === '/token' && ctx.status === 200 && body?.id_token) {
        body.id_token = await resign(body.id_token, tamper)
      }
    })
  }

  async function resign(token: string, change: Tamper): Promise<string> {
    const { kid } = decodeProtectedHeader(token)
    const key = keys.find((k) => k.kid === kid)!
    return new SignJWT(change({ ...decodeJwt(token) }))
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(await crypto.subtle.importKey('jwk', key, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']))
  }

  build()
  server.on('request', (req, res) => provider.callback()(req, res))

  return {
    issuer,
    accounts,
    /** The app's callback address(es) the client may return to. */
    setRedirectUris(uris: string[]) {
      redirectUris = uris
      build()
    },
    /** Publishes a new signing key and signs with it from now on; the old key is gone. */
    async rotateKeys() {
      keys = [await signingKey()]
      build()
    },
    /** A JWT signed with the provider's current key (a logout token, say). */
    async sign(claims: Record<string, unknown>, typ = 'JWT') {
      const key = keys[0]!
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid!, typ })
        .sign(await crypto.subtle.importKey('jwk', key, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']))
    },
    tamperIdToken(fn: Tamper | undefined) {
      tamper = fn
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type TestProvider = Awaited<ReturnType<typeof startOidcProvider>>

/** A browser's cookie jar, enough for the provider's pages. */
class Jar {
  private cookies = new Map<string, string>()
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';')
      const eq = pair.indexOf('=')
      const value = pair.slice(eq + 1)
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(pair.slice(0, eq))
      else this.cookies.set(pair.slice(0, eq), value)
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

/**
 * Signs `login` in at the provider as a browser would (the development login and consent
 * forms), starting from the authorization address our app redirected to; returns the address
 * the provider sends the browser back to (our callback, with code and state).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Jar()
  let url = new URL(authorizationUrl)
  let method = 'GET'
  let body: string | undefined
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    })
    jar.take(res)
    const location = res.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.origin !== url.origin) return next
      url = next
      method = 'GET'
      body = undefined
      continue
    }
    const html = await res.text()
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`)
    const prompt = html.match(/name="prompt" value="(\w+)"/)?.[1]
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1]
    if (!prompt || !action) throw new Error(`no form at ${url.pathname}: ${html.slice(0, 300)}`)
    url = new URL(action.replace(/&amp;/g, '&'), url)
    method = 'POST'
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString()
  }
  throw new Error('too many hops at the provider')
}
