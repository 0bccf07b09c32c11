import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('cross-site request forgery', () => {
  it('refuses a form posted from another site and changes nothing', async () => {
    const admin = await t.browser('admin')
    const init = formPost({ email: 'planted@example.se', name: 'Planted', role: 'admin', active: 'on', password: 'planted password 1' }, admin.cookie)
    const headers = init.headers as Record<string, string>
    headers.origin = 'https://evil.example'
    headers['sec-fetch-site'] = 'cross-site'
    const res = await t.request('/admin/users', init)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Begäran kom från en annan webbplats och stoppades.')
    expect(await t.db.selectFrom('users').where('email', '=', 'planted@example.se').select('id').executeTakeFirst()).toBeUndefined()
  })

  it('refuses a cross-site JSON request carrying the session cookie', async () => {
    const admin = await t.browser('admin')
    const res = await t.request(
      '/api/v1/users',
      jsonRequest('POST', { email: 'json@example.se', password: 'planted password 1' }, { cookie: admin.cookie, origin: 'https://evil.example' }),
    )
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
  })

  it('refuses a request whose browser says it is cross-site even without an Origin', async () => {
    const admin = await t.browser('admin')
    const res = await t.request('/logout', { method: 'POST', headers: { cookie: admin.cookie, 'sec-fetch-site': 'same-site' } })
    expect(res.status).toBe(403)
  })

  it('refuses an htmx request from another origin', async () => {
    const admin = await t.browser('admin')
    const res = await t.request('/logout', { method: 'POST', headers: { cookie: admin.cookie, 'hx-request': 'true', origin: 'http://localhost.evil.example' } })
    expect(res.status).toBe(403)
  })

  it('accepts the same request from our own pages', async () => {
    const admin = await t.browser('admin')
    const res = await t.request('/admin/users', formPost({ email: 'fine@example.se', name: 'Fine', role: 'viewer', active: 'on', password: 'a good long password' }, admin.cookie))
    expect(res.status).toBe(303)
  })

  it('accepts a script with a bearer token and no browser headers', async () => {
    const admin = await t.apiToken('admin')
    const res = await t.request('/api/v1/users', jsonRequest('POST', { email: 'script@example.se', password: 'a good long password' }, admin.headers))
    expect(res.status).toBe(201)
  })
})

describe('security headers and escaping', () => {
  it('sends a strict content security policy and the other protective headers on a page', async () => {
    const res = await t.request('/login')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
  })

  it('serves pages without inline scripts or event-handler attributes', async () => {
    const admin = await t.browser('admin')
    for (const path of ['/login', '/', '/admin/users', '/admin/users/new', '/account']) {
      const html = await (await t.request(path, { headers: { cookie: admin.cookie } })).text()
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i)
      expect(html, path).not.toMatch(/\son[a-z]+\s*=/i)
      expect(html, path).not.toMatch(/\sstyle\s*=/i)
    }
  })

  it('renders a script in a user name as inert text', async () => {
    const admin = await t.browser('admin')
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    await t.user('viewer', { name: payload })
    const html = await (await t.request('/admin/users', { headers: { cookie: admin.cookie } })).text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;')
  })

  it('refuses a body larger than the limit with 413', async () => {
    const admin = await t.apiToken('admin')
    const big = JSON.stringify({ email: 'big@example.se', password: 'x'.repeat(2 * 1024 * 1024) })
    const res = await t.request('/api/v1/users', { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: big })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } })
  })

  it('answers malformed JSON with a validation error, not a crash', async () => {
    const admin = await t.apiToken('admin')
    const res = await t.request('/api/v1/users', { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: '{"email":' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation' } })
  })

  it('hides internal errors behind a request id', async () => {
    const admin = await t.apiToken('admin')
    const res = await t.request('/api/v1/users?cursor=not-a-cursor', { headers: admin.headers })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
  })
})
