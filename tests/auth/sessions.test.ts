import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, IDLE_TIMEOUT_MS, MAX_LIFETIME_MS, validateSession } from '../../src/auth/sessions.ts'
import { formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const MINUTE = 60_000

describe('sessions', () => {
  it('stores only a hash of the secret, never the token itself', async () => {
    const u = await t.user('viewer')
    const { token } = await createSession(t.db, u.id, 'browser')
    const [id, secret] = token.split('.')
    const row = await t.db.selectFrom('sessions').selectAll().where('id', '=', id!).executeTakeFirstOrThrow()
    expect(Buffer.from(row.secret_hash).toString('utf8')).not.toContain(secret)
    expect(row.secret_hash.length).toBe(32)
    expect(await validateSession(t.db, `${id}.${'a'.repeat(secret!.length)}`)).toBeNull()
  })

  it('slides the expiry forward while in use', async () => {
    const u = await t.user('viewer')
    const start = new Date()
    const { token, expiresAt } = await createSession(t.db, u.id, 'browser', start)
    const later = new Date(start.getTime() + 2 * 60 * MINUTE)
    const s = await validateSession(t.db, token, later)
    expect(s?.expiresAt.getTime()).toBe(later.getTime() + IDLE_TIMEOUT_MS)
    expect(s!.expiresAt.getTime()).toBeGreaterThan(expiresAt.getTime())
  })

  it('ends a session left idle past the timeout', async () => {
    const u = await t.user('viewer')
    const start = new Date()
    const { token } = await createSession(t.db, u.id, 'browser', start)
    expect(await validateSession(t.db, token, new Date(start.getTime() + IDLE_TIMEOUT_MS + 1000))).toBeNull()
    // …and it is gone for good, even if asked about "earlier" afterwards.
    expect(await validateSession(t.db, token, start)).toBeNull()
  })

  it('ends a session at its maximum lifetime however busy it is', async () => {
    const u = await t.user('viewer')
    const start = new Date()
    const { token } = await createSession(t.db, u.id, 'browser', start)
    let now = start.getTime()
    while (now < start.getTime() + MAX_LIFETIME_MS - IDLE_TIMEOUT_MS) {
      now += IDLE_TIMEOUT_MS - MINUTE
      expect(await validateSession(t.db, token, new Date(now))).not.toBeNull()
    }
    expect(await validateSession(t.db, token, new Date(start.getTime() + MAX_LIFETIME_MS + 1000))).toBeNull()
  })

  it('sends an expired browser session to the login page', async () => {
    const b = await t.browser('viewer')
    await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', b.user.id).execute()
    const res = await t.request('/', { headers: { cookie: b.cookie } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })

  it('ends every session of a user whose password an admin resets', async () => {
    const admin = await t.browser('admin')
    const victim = await t.browser('editor')
    const api = await createSession(t.db, victim.user.id, 'api')
    const res = await t.request(
      `/api/v1/users/${victim.user.id}`,
      jsonRequest('PATCH', { version: victim.user.version, password: 'a brand new password' }, { cookie: admin.cookie, origin: 'http://localhost' }),
    )
    expect(res.status).toBe(200)
    expect((await t.request('/', { headers: { cookie: victim.cookie } })).status).toBe(303)
    expect((await t.request('/api/v1/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${api.token}` } })).status).toBe(401)
  })

  it('ends every session of a deactivated user at once', async () => {
    const admin = await t.browser('admin')
    const victim = await t.apiToken('editor')
    // Signed in: an editor is known, merely not allowed here.
    expect((await t.request('/api/v1/users', { headers: victim.headers })).status).toBe(403)
    await t.request(`/api/v1/users/${victim.user.id}`, jsonRequest('PATCH', { version: victim.user.version, active: false }, { cookie: admin.cookie, origin: 'http://localhost' }))
    expect((await t.request('/api/v1/users', { headers: victim.headers })).status).toBe(401)
  })

  it('keeps me signed in, with a fresh session, after I change my own password — and ends my others', async () => {
    const u = await t.user('viewer')
    const other = await createSession(t.db, u.id, 'browser')
    const mine = await createSession(t.db, u.id, 'browser')
    const res = await t.request('/account/password', formPost({ current_password: PASSWORD, password: 'my new long password' }, `session=${mine.token}`))
    expect(res.status).toBe(303)
    const fresh = res.headers.getSetCookie().find((c) => c.startsWith('session='))!.split(';')[0]!
    expect((await t.request('/account', { headers: { cookie: fresh } })).status).toBe(200)
    expect((await t.request('/account', { headers: { cookie: `session=${other.token}` } })).status).toBe(303)
    expect((await t.request('/account', { headers: { cookie: `session=${mine.token}` } })).status).toBe(303)
  })

  it('refuses to change my password when the current one is wrong', async () => {
    const b = await t.browser('viewer')
    const res = await t.request('/account/password', formPost({ current_password: 'not my password', password: 'my new long password' }, b.cookie))
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Lösenordet stämmer inte.')
  })
})

describe('API tokens', () => {
  it('issues a bearer token for the right credentials, per the contract', async () => {
    const u = await t.user('editor')
    const res = await t.request('/api/v1/sessions', jsonRequest('POST', { email: u.email, password: PASSWORD }))
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toMatchObject({ user: { id: u.id, email: u.email, name: u.name, role: 'editor' } })
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    const me = await t.request('/api/v1/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${body.token}` } })
    expect(me.status).toBe(204)
    const again = await t.request('/api/v1/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${body.token}` } })
    expect(again.status).toBe(401)
  })

  it('answers wrong credentials with 401 and unknown fields with a validation error', async () => {
    const u = await t.user('editor')
    const wrong = await t.request('/api/v1/sessions', jsonRequest('POST', { email: u.email, password: 'nope nope nope' }))
    expect(wrong.status).toBe(401)
    const extra = await t.request('/api/v1/sessions', jsonRequest('POST', { email: u.email, password: PASSWORD, remember: true }))
    expect(extra.status).toBe(400)
    expect(await extra.json()).toMatchObject({ error: { code: 'validation', fields: { remember: expect.any(String) } } })
  })
})
