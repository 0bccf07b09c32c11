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
  it('locks an account after repeated failures, even for the right password, with a clear message', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      expect((await t.request('/login', from(`10.0.0.${i}`, formPost({ email: u.email, password: 'wrong wrong wrong' })))).status).toBe(401)
    }
    const res = await t.request('/login', from('10.0.1.1', formPost({ email: u.email, password: PASSWORD })))
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await res.text()).toMatch(/För många misslyckade inloggningar\. Försök igen om \d+ minuter\./)
    expect(cookieFrom(res, 'session')).toBeUndefined()
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
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      await t.request('/api/v1/sessions', from(`10.9.0.${i}`, jsonRequest('POST', { email: u.email, password: 'wrong wrong wrong' })))
    }
    const res = await t.request('/api/v1/sessions', from('10.9.1.1', jsonRequest('POST', { email: u.email, password: PASSWORD })))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBeTruthy()
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } })
  })

  it('forgives earlier failures after a successful log-in', async () => {
    const u = await t.user('viewer')
    for (let i = 0; i < LOGIN_LIMITS.account.max - 1; i++) {
      await t.request('/login', from(`10.1.0.${i}`, formPost({ email: u.email, password: 'wrong wrong wrong' })))
    }
    expect((await t.request('/login', from('10.1.1.1', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
    for (let i = 0; i < LOGIN_LIMITS.account.max - 1; i++) {
      await t.request('/login', from(`10.1.2.${i}`, formPost({ email: u.email, password: 'wrong wrong wrong' })))
    }
    expect((await t.request('/login', from('10.1.3.1', formPost({ email: u.email, password: PASSWORD })))).status).toBe(303)
  })

  it('keeps no e-mail address or IP in clear in the counters', async () => {
    const rows = await t.db.selectFrom('rate_limits').select('key').execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.key).toMatch(/^login-(account|ip):[0-9a-f]{64}$/)
  })
})
