import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFrom, formPost, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('logging in and out', () => {
  it('logs in with the right password and lands on the page asked for', async () => {
    const u = await t.user('editor')
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD, next: '/account' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/account')
    const token = cookieFrom(res, 'session')
    expect(token).toBeTruthy()
    const account = await t.request('/account', { headers: { cookie: `session=${token}` } })
    expect(account.status).toBe(200)
    expect(await account.text()).toContain(u.name)
  })

  it('sets the session cookie HttpOnly and SameSite=Lax, and Secure away from localhost', async () => {
    const u = await t.user('viewer')
    const local = await t.request('/login', formPost({ email: u.email, password: PASSWORD }))
    const localCookie = local.headers.getSetCookie().find((c) => c.startsWith('session='))!
    expect(localCookie).toMatch(/HttpOnly/i)
    expect(localCookie).toMatch(/SameSite=Lax/i)
    expect(localCookie).not.toMatch(/Secure/i)
    const init = formPost({ email: u.email, password: PASSWORD })
    ;(init.headers as Record<string, string>).origin = 'https://crm.example.se'
    const remote = await t.app.request('https://crm.example.se/login', init)
    expect(remote.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Secure/i)
  })

  it('refuses a wrong password with a message and no session', async () => {
    const u = await t.user('viewer')
    const res = await t.request('/login', formPost({ email: u.email, password: 'wrong password!!' }))
    expect(res.status).toBe(401)
    expect(cookieFrom(res, 'session')).toBeUndefined()
    expect(await res.text()).toContain('Fel e-postadress eller lösenord.')
  })

  it('says the same for an unknown address as for a wrong password', async () => {
    const res = await t.request('/login', formPost({ email: 'nobody@example.se', password: PASSWORD }))
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('Fel e-postadress eller lösenord.')
  })

  it('refuses a deactivated user even with the right password', async () => {
    const u = await t.user('viewer')
    await t.db.updateTable('users').set({ active: false }).where('id', '=', u.id).execute()
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD }))
    expect(res.status).toBe(401)
  })

  it('gives a new session at log-in and ends the one the browser had', async () => {
    const u = await t.user('viewer')
    const first = cookieFrom(await t.request('/login', formPost({ email: u.email, password: PASSWORD })), 'session')!
    const second = cookieFrom(await t.request('/login', formPost({ email: u.email, password: PASSWORD }, `session=${first}`)), 'session')!
    expect(second).not.toBe(first)
    expect((await t.request('/', { headers: { cookie: `session=${first}` } })).status).toBe(303)
    expect((await t.request('/', { headers: { cookie: `session=${second}` } })).status).toBe(200)
  })

  it('logs out: the session stops working and the cookie is cleared', async () => {
    const b = await t.browser('viewer')
    const res = await t.request('/logout', formPost({}, b.cookie))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login')
    expect(res.headers.getSetCookie().some((c) => /^session=;/.test(c))).toBe(true)
    const after = await t.request('/', { headers: { cookie: b.cookie } })
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toBe('/login?next=%2F')
  })

  it('does not redirect to another site after log-in', async () => {
    const u = await t.user('viewer')
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD, next: '//evil.example/' }))
    expect(res.headers.get('location')).toBe('/')
  })

  it('sends an htmx request whose session ran out to the login page with HX-Redirect', async () => {
    const res = await t.request('/admin/users?q=x', { headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-redirect')).toBe('/login?next=%2Fadmin%2Fusers%3Fq%3Dx')
  })
})
