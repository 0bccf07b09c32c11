import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, validateSession } from '../../src/auth/sessions.ts'
import { loadConfig } from '../../src/config.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('passwords made of spaces', () => {
  it('refuses twelve spaces as a new password, and keeps spaces inside a real one as typed', async () => {
    const admin = await t.apiToken('admin')
    const blank = await t.request('/api/v1/users', jsonRequest('POST', { email: 'blank.pw@example.se', role: 'viewer', password: ' '.repeat(12) }, admin.headers))
    expect(blank.status).toBe(400)
    expect((await blank.json()).error.fields).toHaveProperty('password')
    const padded = await t.request('/api/v1/users', jsonRequest('POST', { email: 'padded.pw@example.se', role: 'viewer', password: '  ett långt lösen  ' }, admin.headers))
    expect(padded.status).toBe(201)
    const trimmedTry = await t.request('/api/v1/sessions', jsonRequest('POST', { email: 'padded.pw@example.se', password: 'ett långt lösen' }))
    expect(trimmedTry.status).toBe(401)
    const exact = await t.request('/api/v1/sessions', jsonRequest('POST', { email: 'padded.pw@example.se', password: '  ett långt lösen  ' }))
    expect(exact.status).toBe(201)
  })

  it('refuses an ADMIN_PASSWORD of spaces at start', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.se', ADMIN_PASSWORD: ' '.repeat(14) })).toThrow(/ADMIN_PASSWORD/)
  })
})

describe('the session a log-in replaces', () => {
  it('does not end another person’s session when the cookie names its id with a wrong secret', async () => {
    const victim = await t.browser('admin')
    const victimId = victim.token.split('.')[0]!
    const attacker = await t.user('viewer')
    const init = formPost({ email: attacker.email, password: PASSWORD }, `session=${victimId}.${'a'.repeat(32)}`)
    const res = await t.request('/login', init)
    expect(res.status).toBe(303)
    expect(await validateSession(t.db, victim.token)).not.toBeNull()
    expect((await t.request('/account', { headers: { cookie: victim.cookie } })).status).toBe(200)
  })

  it('still ends the browser’s own previous session', async () => {
    const u = await t.user('viewer')
    const { token } = await createSession(t.db, u.id, 'browser')
    const res = await t.request('/login', formPost({ email: u.email, password: PASSWORD }, `session=${token}`))
    expect(cookieFrom(res, 'session')).not.toBe(token)
    expect(await validateSession(t.db, token)).toBeNull()
  })
})

describe('the CSRF origin check behind a proxy', () => {
  it('is not widened by X-Forwarded-Host', async () => {
    const b = await t.browser('editor')
    const res = await t.request('/themes', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookie, origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' },
      body: 'name=Planterat',
    })
    expect(res.status).toBe(403)
    const themes = await t.db.selectFrom('themes').select('name').where('name', '=', 'Planterat').execute()
    expect(themes).toHaveLength(0)
  })
})
