import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LOCAL_ONLY, type SignInConfig } from '../../src/sign-in/sign-in.config.ts'
import { updateUser } from '../../src/users/users.service.ts'
import { findLiveUserByEmail } from '../../src/users/users.repo.ts'
import { cookieFrom, testApp, type TestApp } from '../helpers/app.ts'
import { CLIENT_ID, CLIENT_SECRET, signInAtProvider, startOidcProvider, type TestProvider } from '../helpers/oidc-provider.ts'

let idp: TestProvider
let t: TestApp
const logLines: string[] = []

const accounts = {
  'sub-anna': { email: 'anna.andersson@myndigheten.example', name: 'Anna Andersson', groups: ['navet-admins', 'all-staff'] },
  'sub-erik': { email: 'erik.eriksson@myndigheten.example', name: 'Erik Eriksson', groups: ['navet-editors'] },
  'sub-kim': { email: 'kim.karlsson@myndigheten.example', name: 'Kim Karlsson', groups: ['kitchen'] },
  'sub-dora': { email: 'dora.dahl@myndigheten.example', name: 'Dora Dahl', groups: ['navet-editors'] },
  'sub-rut': { email: 'rut.rask@myndigheten.example', name: 'Rut Rask', groups: ['navet-editors'] },
}

beforeAll(async () => {
  idp = await startOidcProvider(accounts)
  const signIn: SignInConfig = {
    ...LOCAL_ONLY,
    oidc: {
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: 'openid email profile groups',
      groupsClaim: 'groups',
      roleMap: { groups: new Map([['navet-admins', 'admin'], ['navet-editors', 'editor']]), fallback: undefined },
      name: 'Myndigheten',
    },
  }
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) })
  t = await testApp({ signIn }, log)
})
afterAll(async () => {
  await t.close()
  await idp.close()
})

/** Our login address → the provider's pages → back at our callback; returns the final answer. */
async function signIn(login: string, next = '/organisations') {
  const start = await t.request(`/auth/oidc/login?next=${encodeURIComponent(next)}`)
  expect(start.status).toBe(303)
  const pending = `signin=${cookieFrom(start, 'signin')}`
  const back = await signInAtProvider(start.headers.get('location')!, login)
  return { back, pending, res: await t.request(back.pathname + back.search, { headers: { cookie: pending } }) }
}

async function whoAmI(res: Response) {
  const session = cookieFrom(res, 'session')
  if (!session) return null
  const me = await t.request('/api/v1/users', { headers: { cookie: `session=${session}` } })
  return { status: me.status, session }
}

describe('signing in through the OpenID provider', () => {
  it('signs a person in with the role of their group, creating the account on first sign-in', async () => {
    const { res } = await signIn('sub-erik')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/organisations')
    const user = await findLiveUserByEmail(t.db, accounts['sub-erik'].email)
    expect(user).toMatchObject({ name: 'Erik Eriksson', role: 'editor', external_subject: 'sub-erik', external_issuer: idp.issuer })
    const page = await t.request('/organisations', { headers: { cookie: `session=${cookieFrom(res, 'session')}` } })
    expect(page.status).toBe(200)
    // An editor may not list users.
    expect((await whoAmI(res))?.status).toBe(403)
  })

  it('gives the highest role of all the groups and re-reads it at every sign-in', async () => {
    const first = await signIn('sub-anna')
    expect((await whoAmI(first.res))?.status).toBe(200)
    accounts['sub-anna'].groups = ['navet-editors']
    const second = await signIn('sub-anna')
    expect(second.res.status).toBe(303)
    expect((await findLiveUserByEmail(t.db, accounts['sub-anna'].email))?.role).toBe('editor')
    expect((await whoAmI(second.res))?.status).toBe(403)
  })

  it('refuses a callback whose state was tampered with, with a friendly page and no session', async () => {
    const start = await t.request('/auth/oidc/login')
    const back = await signInAtProvider(start.headers.get('location')!, 'sub-erik')
    back.searchParams.set('state', 'forged-state')
    const res = await t.request(back.pathname + back.search, { headers: { cookie: `signin=${cookieFrom(start, 'signin')}` } })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Svaret från inloggningstjänsten kunde inte godkännas')
    expect(cookieFrom(res, 'session')).toBeUndefined()
  })

  it('refuses a code used a second time, even under a fresh and valid state', async () => {
    const first = await signIn('sub-erik')
    expect(first.res.status).toBe(303)
    const start = await t.request('/auth/oidc/login')
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!
    const replay = new URL(first.back)
    replay.searchParams.set('state', state)
    const res = await t.request(replay.pathname + replay.search, { headers: { cookie: `signin=${cookieFrom(start, 'signin')}` } })
    expect(res.status).toBe(400)
    expect(cookieFrom(res, 'session')).toBeUndefined()
  })

  it('refuses the same callback twice (the sign-in request is used up)', async () => {
    const first = await signIn('sub-erik')
    const again = await t.request(first.back.pathname + first.back.search, { headers: { cookie: first.pending } })
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('Börja om från inloggningssidan')
  })

  it('refuses an ID token made out for another client', async () => {
    idp.tamperIdToken((c) => ({ ...c, aud: 'some-other-client' }))
    try {
      const { res } = await signIn('sub-erik')
      expect(res.status).toBe(400)
      expect(cookieFrom(res, 'session')).toBeUndefined()
    } finally {
      idp.tamperIdToken(undefined)
    }
  })

  it('refuses an expired ID token', async () => {
    const now = Math.floor(Date.now() / 1000)
    idp.tamperIdToken((c) => ({ ...c, iat: now - 7200, exp: now - 3600 }))
    try {
      const { res } = await signIn('sub-erik')
      expect(res.status).toBe(400)
      expect(cookieFrom(res, 'session')).toBeUndefined()
    } finally {
      idp.tamperIdToken(undefined)
    }
  })

  it('refuses a person whose groups map to no role, saying so', async () => {
    const { res } = await signIn('sub-kim')
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Ditt konto hos Myndigheten ger inte tillgång till Navet')
    expect(cookieFrom(res, 'session')).toBeUndefined()
    expect(await findLiveUserByEmail(t.db, accounts['sub-kim'].email)).toBeUndefined()
  })

  it('keeps a person deactivated in Navet out, whatever the provider says', async () => {
    expect((await signIn('sub-dora')).res.status).toBe(303)
    const dora = (await findLiveUserByEmail(t.db, accounts['sub-dora'].email))!
    await updateUser(t.db, dora.id, dora.version, { active: false }, { userId: null })
    const { res } = await signIn('sub-dora')
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Ditt konto i Navet är avstängt')
    expect(cookieFrom(res, 'session')).toBeUndefined()
  })

  it('accepts tokens signed with a new key after the provider rotates its keys', async () => {
    expect((await signIn('sub-erik')).res.status).toBe(303)
    await idp.rotateKeys()
    // The keys are fetched again for an unknown key id, at most once a minute.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 })
    try {
      const { res } = await signIn('sub-erik')
      expect(res.status).toBe(303)
      expect(cookieFrom(res, 'session')).toBeDefined()
    } finally {
      vi.useRealTimers()
    }
  })

  it('shows the provider’s refusal as a friendly page', async () => {
    const start = await t.request('/auth/oidc/login')
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!
    const res = await t.request(`/auth/oidc/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`, {
      headers: { cookie: `signin=${cookieFrom(start, 'signin')}`, 'accept-language': 'en' },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('The sign-in service cancelled the sign-in.')
  })

  it('ends the Navet sessions of a provider session on back-channel logout', async () => {
    const { res } = await signIn('sub-rut')
    const session = cookieFrom(res, 'session')!
    const sid = (await t.db.selectFrom('sessions').select('provider_sid').where('id', '=', session.split('.')[0]!).executeTakeFirstOrThrow()).provider_sid
    expect(sid).toBeTruthy()
    const logoutToken = await idp.sign(
      { iss: idp.issuer, aud: CLIENT_ID, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } },
      'logout+jwt',
    )
    const forged = await t.request('/auth/oidc/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: logoutToken.slice(0, -4) + 'AAAA' }).toString(),
    })
    expect(forged.status).toBe(400)
    expect((await t.request('/organisations', { headers: { cookie: `session=${session}` } })).status).toBe(200)
    const ok = await t.request('/auth/oidc/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
    })
    expect(ok.status).toBe(200)
    const after = await t.request('/organisations', { headers: { cookie: `session=${session}` } })
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toMatch(/^\/login/)
  })

  it('logs out at the provider too after a provider sign-in', async () => {
    const { res } = await signIn('sub-erik')
    const out = await t.request('/logout', {
      method: 'POST',
      headers: { cookie: `session=${cookieFrom(res, 'session')}`, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    })
    expect(out.status).toBe(303)
    const away = new URL(out.headers.get('location')!)
    expect(away.origin).toBe(idp.issuer)
    expect(away.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost/login')
  })

  it('writes no token, code or e-mail address to the log', () => {
    const all = logLines.join('\n')
    expect(all).not.toMatch(/eyJ[\w-]+\.eyJ/)
    expect(all).not.toContain('myndigheten.example')
    expect(all).not.toMatch(/[?&]code=/)
  })
})
