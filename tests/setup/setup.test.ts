import { afterEach, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../src/setup/bootstrap-admin.ts'
import { countUsers } from '../../src/users/users.repo.ts'
import { cookieFrom, formPost, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
afterEach(() => t.close())

describe('first start', () => {
  it('sends the first visitor to /setup, creates the admin there and signs them in', async () => {
    t = await testApp()
    const login = await t.request('/login')
    expect(login.headers.get('location')).toBe('/setup')
    const bad = await t.request('/setup', formPost({ name: '', email: 'x', password: 'short' }))
    expect(bad.status).toBe(422)
    const res = await t.request('/setup', formPost({ name: 'Maja Admin', email: 'maja@example.se', password: 'first admin password' }))
    expect(res.status).toBe(303)
    const cookie = `session=${cookieFrom(res, 'session')}`
    const home = await t.request('/', { headers: { cookie } })
    expect(await home.text()).toContain('Välkommen, Maja Admin.')
    const user = await t.db.selectFrom('users').select('role').where('email', '=', 'maja@example.se').executeTakeFirstOrThrow()
    expect(user.role).toBe('admin')
  })

  it('answers 404 on /setup once a user exists, for a page and for a post', async () => {
    t = await testApp()
    await t.user('viewer')
    expect((await t.request('/setup')).status).toBe(404)
    const res = await t.request('/setup', formPost({ name: 'Intruder', email: 'in@example.se', password: 'intruder password' }))
    expect(res.status).toBe(404)
    expect(await countUsers(t.db)).toBe(1)
  })

  it('creates the configured admin at start only while there are no users', async () => {
    t = await testApp()
    expect(await bootstrapAdmin(t.db, { email: 'Boot@Example.se', password: 'bootstrap password' })).toBe(true)
    expect(await bootstrapAdmin(t.db, { email: 'second@example.se', password: 'bootstrap password' })).toBe(false)
    const users = await t.db.selectFrom('users').select(['email', 'role']).execute()
    expect(users).toEqual([{ email: 'boot@example.se', role: 'admin' }])
  })
})
