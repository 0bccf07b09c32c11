import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeNext } from '../../src/web/htmx.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const HOSTILE_NEXT = ['/%09/evil.example/get', '/%0a/x', '/%0d%0a/evil.example', '/%5C/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/', '/%09%09/evil.example']

describe('where the login form sends you', () => {
  it('never leaves the origin and never fails, whatever next says, for a signed-in user', async () => {
    const b = await t.browser('viewer')
    for (const next of HOSTILE_NEXT) {
      const res = await t.request(`/login?next=${next}`, { headers: { cookie: b.cookie } })
      expect(res.status, next).toBe(303)
      const location = res.headers.get('location')!
      // What a browser makes of the Location header: it must stay on this origin.
      expect(new URL(location, 'http://localhost').origin, next).toBe('http://localhost')
      expect(location, next).not.toMatch(/evil/)
    }
  })

  it('sends a user who logs in to a hostile next back to a page of its own', async () => {
    const u = await t.user('viewer')
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD, next: '/\t/evil.example/get' }))
    expect(res.status).toBe(303)
    expect(new URL(res.headers.get('location')!, 'http://localhost').origin).toBe('http://localhost')
  })

  it('keeps a same-origin next with its query', () => {
    expect(safeNext('/contacts?q=Åsa&tag=a b')).toBe('/contacts?q=%C3%85sa&tag=a%20b')
    expect(safeNext('/account')).toBe('/account')
  })
})

describe('what caches may keep', () => {
  it('sends private, no-store on signed-in pages, exports, the account page and the API', async () => {
    const b = await t.browser('admin')
    const admin = await t.apiToken('admin')
    const created = await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: 'Cache', last_name: 'Kontroll' }, admin.headers))
    const id = (await created.json()).id
    expect(created.headers.get('cache-control')).toBe('private, no-store')
    for (const path of [`/contacts/${id}`, '/contacts', '/organisations?format=csv', '/contacts?format=csv', '/account', '/', '/ideas']) {
      const res = await t.request(path, { headers: { cookie: b.cookie } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('cache-control'), path).toBe('private, no-store')
    }
    for (const path of [`/api/v1/contacts/${id}`, '/api/v1/contacts', '/api/v1/contacts?format=csv', '/api/v1/nothing-here']) {
      expect((await t.request(path, { headers: admin.headers })).headers.get('cache-control'), path).toBe('private, no-store')
    }
  })

  it('keeps the public caching of the idea bank for a visitor without a session, and no-store on the login answer', async () => {
    expect((await t.request('/ideas')).headers.get('cache-control')).toBe('public, max-age=300')
    const u = await t.user('viewer')
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD }))
    expect(cookieFrom(res, 'session')).toBeTruthy()
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })
})
