import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_LIMITS } from '../../src/auth/rate-limit.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

function from(ip: string, init: RequestInit): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': ip } }
}

describe('login rate limit', () => {
  it('locks one client out of an account after repeated failures, even for the right password, with a clear message', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max; i++) {
      expect((await t.request('/login', from('203.0.113.9', formPost({ email: u.email, password: 'wrong wrong wrong' })))).status).toBe(401)
    }
    const res = await t.request('/login', from('203.0.113.9', formPost({ email: u.email, password: PASSWORD })))
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await res.text()).toMatch(/För många misslyckade inloggningar\. Försök igen om \d+ minuter\./)
    expect(cookieFrom(res, 'session')).toBeUndefined()
  })

  it('lets the owner log in from their own address while someone else is locked out of the account', async () => {
    const u = await t.user('admin')
    for (let i = 0; i < 3 * LOGIN_LIMITS.accountClient.max; i++) {
      await t.request('/login', from('203.0.113.10', formPost({ email: u.email, password: 'guess guess guess' })))
    }
    expect((await t.request('/login', from('203.0.113.10', formPost({ email: u.email, password: PASSWORD })))).status).toBe(429)
    expect((await t.request('/login', from('198.51.100.7', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
  })

  it('makes a client that keeps trying wait longer and longer', async () => {
    const u = await t.user('viewer')
    const waits: number[] = []
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max + 3; i++) {
      const res = await t.request('/login', from('203.0.113.11', formPost({ email: u.email, password: 'wrong wrong wrong' })))
      if (res.status === 429) waits.push(Number(res.headers.get('retry-after')))
    }
    expect(waits).toHaveLength(3)
    expect(waits[0]).toBeGreaterThan(LOGIN_LIMITS.accountClient.windowSeconds)
    expect(waits[2]).toBeGreaterThan(waits[1]!)
    expect(waits[1]).toBeGreaterThan(waits[0]!)
  })

  it('checks at most the limit of passwords when many wrong ones arrive at once', async () => {
    const u = await t.user('viewer')
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => t.request('/api/v1/sessions', from('203.0.113.12', jsonRequest('POST', { email: u.email, password: 'wrong wrong wrong' })))),
    )
    const checked = answers.filter((r) => r.status === 401).length
    expect(answers.filter((r) => r.status === 429).length).toBe(60 - checked)
    expect(checked).toBe(LOGIN_LIMITS.accountClient.max)
  })

  it('counts the address the proxy appended, not the one the client put first in X-Forwarded-For', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max; i++) {
      const spoofed = { 'x-forwarded-for': `10.66.0.${i}, 203.0.113.13` }
      const init = formPost({ email: u.email, password: 'wrong wrong wrong' })
      await t.request('/login', { ...init, headers: { ...(init.headers as Record<string, string>), ...spoofed } })
    }
    const init = formPost({ email: u.email, password: PASSWORD })
    const again = await t.request('/login', { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': '10.66.1.1, 203.0.113.13' } })
    expect(again.status).toBe(429)
  })

  it('reads the client TRUST_PROXY_HOPS from the right behind two proxies', async () => {
    const two = await testApp({ trustProxyHops: 2 })
    try {
      const u = await two.user('viewer')
      for (let i = 0; i < LOGIN_LIMITS.accountClient.max; i++) {
        const init = formPost({ email: u.email, password: 'wrong wrong wrong' })
        await two.request('/login', { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': `10.67.0.${i}, 203.0.113.14, 192.0.2.1` } })
      }
      const init = formPost({ email: u.email, password: PASSWORD })
      const locked = await two.request('/login', { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': '203.0.113.14, 192.0.2.1' } })
      expect(locked.status).toBe(429)
      const other = await two.request('/login', { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': '203.0.113.15, 192.0.2.1' } })
      expect(other.status).toBe(303)
    } finally {
      await two.close()
    }
  })

  it('limits one address trying many accounts', async () => {
    const ip = '192.0.2.77'
    for (let i = 0; i < LOGIN_LIMITS.ip.max; i++) {
      await t.request('/login', from(ip, formPost({ email: `guess${i}@example.se`, password: 'wrong wrong wrong' })))
    }
    const u = await t.user('viewer')
    expect((await t.request('/login', from(ip, formPost({ email: u.email, password: PASSWORD })))).status).toBe(429)
    // Another address is not affected.
    expect((await t.request('/login', from('192.0.2.78', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
  })

  it('applies to API tokens too, with the contract error and Retry-After', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max; i++) {
      await t.request('/api/v1/sessions', from('10.9.0.1', jsonRequest('POST', { email: u.email, password: 'wrong wrong wrong' })))
    }
    const res = await t.request('/api/v1/sessions', from('10.9.0.1', jsonRequest('POST', { email: u.email, password: PASSWORD })))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBeTruthy()
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } })
  })

  it('forgives earlier failures after a successful log-in', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max - 1; i++) {
      await t.request('/login', from('10.1.0.1', formPost({ email: u.email, password: 'wrong wrong wrong' })))
    }
    expect((await t.request('/login', from('10.1.0.1', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
    for (let i = 0; i < LOGIN_LIMITS.accountClient.max - 1; i++) {
      await t.request('/login', from('10.1.0.1', formPost({ email: u.email, password: 'wrong wrong wrong' })))
    }
    expect((await t.request('/login', from('10.1.0.1', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
  })

  it('keeps no e-mail address or IP in clear in the counters', async () => {
    const rows = await t.db.selectFrom('rate_limits').select('key').execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.key).toMatch(/^login-(account|ip|account-client):[0-9a-f]{64}$/)
  })
})
