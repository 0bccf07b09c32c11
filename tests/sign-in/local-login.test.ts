import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_ONLY } from '../../src/sign-in/sign-in.config.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await testApp({
    signIn: {
      ...LOCAL_ONLY,
      localLogin: false,
      breakGlassEmails: ['nod.admin@example.se', 'nod.editor@example.se'],
      oidc: {
        issuer: 'https://idp.example.se',
        clientId: 'navet',
        clientSecret: undefined,
        scopes: 'openid',
        groupsClaim: 'groups',
        roleMap: { groups: new Map(), fallback: 'viewer' },
        name: 'Myndigheten',
      },
    },
  })
  await t.user('admin', { email: 'nod.admin@example.se' })
  await t.user('editor', { email: 'nod.editor@example.se' })
  await t.user('admin', { email: 'vanlig.admin@example.se' })
})
afterAll(() => t.close())

describe('LOCAL_LOGIN=off', () => {
  it('offers the provider first and hides the password form', async () => {
    const html = await (await t.request('/login')).text()
    expect(html).toContain('Logga in med Myndigheten')
    expect(html).toContain('href="/auth/oidc/login"')
    expect(html).not.toContain('name="password"')
    // The break-glass administrators' way in.
    expect(await (await t.request('/login?local=1')).text()).toContain('name="password"')
  })

  it('refuses a password on the page and the API, even a right one', async () => {
    const page = await t.request('/login', formPost({ email: 'vanlig.admin@example.se', password: PASSWORD }))
    expect(page.status).toBe(403)
    expect(await page.text()).toContain('Inloggning med lösenord är avstängd. Logga in med Myndigheten.')
    expect(cookieFrom(page, 'session')).toBeUndefined()
    const api = await t.request('/api/v1/sessions', jsonRequest('POST', { email: 'vanlig.admin@example.se', password: PASSWORD }))
    expect(api.status).toBe(403)
  })

  it('lets a break-glass administrator in with a password, page and API', async () => {
    const page = await t.request('/login', formPost({ email: 'NOD.admin@example.se', password: PASSWORD }))
    expect(page.status).toBe(303)
    expect(cookieFrom(page, 'session')).toBeDefined()
    const api = await t.request('/api/v1/sessions', jsonRequest('POST', { email: 'nod.admin@example.se', password: PASSWORD }))
    expect(api.status).toBe(201)
  })

  it('lets a break-glass address in only while it belongs to an administrator', async () => {
    const page = await t.request('/login', formPost({ email: 'nod.editor@example.se', password: PASSWORD }))
    expect(page.status).toBe(403)
  })

  it('still refuses a wrong password for a break-glass address', async () => {
    const page = await t.request('/login', formPost({ email: 'nod.admin@example.se', password: 'wrong password entirely' }))
    expect(page.status).toBe(401)
  })
})

describe('an identity provider that does not answer', () => {
  it('shows a friendly page, not an error', async () => {
    const down = await testApp({
      signIn: {
        ...LOCAL_ONLY,
        oidc: { issuer: 'http://127.0.0.1:9', clientId: 'navet', clientSecret: undefined, scopes: 'openid', groupsClaim: 'groups', roleMap: { groups: new Map(), fallback: 'viewer' }, name: 'Myndigheten' },
      },
    })
    try {
      const res = await down.request('/auth/oidc/login', { headers: { 'accept-language': 'en' } })
      expect(res.status).toBe(503)
      expect(await res.text()).toContain('The sign-in service is not answering right now.')
    } finally {
      await down.close()
    }
  })
})
