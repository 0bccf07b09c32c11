import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessOf, hasRole, requireRole, undeclaredRoutes } from '../../src/auth/roles.ts'
import type { Role } from '../../src/db/schema.ts'
import { createSession } from '../../src/auth/sessions.ts'
import { ORIGIN, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
const users: Partial<Record<Role, string>> = {}

beforeAll(async () => {
  t = await testApp()
  for (const role of ['viewer', 'editor', 'admin'] as const) users[role] = (await t.user(role)).id
})

// A fresh session per request: some routes (log-out, password change) end the one they get.
async function sessionOf(role: Role): Promise<string> {
  return (await createSession(t.db, users[role]!, 'browser')).token
}
afterAll(() => t.close())

const SOME_ID = '00000000-0000-4000-8000-000000000000'

function concretePath(path: string): string {
  // Every id parameter (:id, :pid, …): a route matches ids by pattern, so a literal ':pid' would
  // 404 before the role check and hide a missing one.
  return path.replace(/:\w*id\b/g, SOME_ID).replace(/\/\*$/, '/css/app.css')
}

describe('who may use each route', () => {
  it('declares an access level for every route the app serves', () => {
    expect(undeclaredRoutes(t.app.routes)).toEqual([])
    expect(accessOf(t.app.routes).size).toBeGreaterThan(15)
  })

  it('refuses to build an app with a route that says nothing about access', () => {
    const app = new Hono().get('/open', (c) => c.text('oops')).get('/closed', requireRole('admin') as never, (c) => c.text('ok'))
    expect(undeclaredRoutes(app.routes)).toEqual(['GET /open'])
  })

  const roles = ['anonymous', 'viewer', 'editor', 'admin'] as const
  it('allows each role exactly the routes at or below it, and refuses the rest', async () => {
    const failures: string[] = []
    for (const [route, level] of accessOf(t.app.routes)) {
      const [method, path] = route.split(' ') as [string, string]
      for (const who of roles) {
        const headers: Record<string, string> = { origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }
        if (who !== 'anonymous') headers.cookie = `session=${await sessionOf(who)}`
        const res = await t.request(concretePath(path), { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : '{}' })
        const allowed = level === 'public' || (who !== 'anonymous' && hasRole(who, level))
        const refused = res.status === 401 || res.status === 403 ||
          (res.status === 303 && res.headers.get('location')?.startsWith('/login'))
        // Public routes whose normal answer looks like a refusal: log-in with no credentials
        // (401), log-out (back to the login page), the login page for someone signed in.
        // The second-factor step without a password step before it goes back to the login page.
        const exempt = level === 'public' && ['GET /login', 'POST /login', 'POST /logout', 'GET /login/code', 'POST /login/code'].includes(route)
        if (allowed && refused && !exempt) failures.push(`${route} refused ${who} (${res.status})`)
        if (!allowed && !refused) failures.push(`${route} let ${who} through (${res.status})`)
        if (!allowed && who === 'anonymous' && path.startsWith('/api/') && res.status !== 401) failures.push(`${route} gave anonymous ${res.status}, not 401`)
        if (!allowed && who !== 'anonymous' && res.status !== 403) failures.push(`${route} gave ${who} ${res.status}, not 403`)
      }
    }
    expect(failures).toEqual([])
    // Every route × four roles: over 20 s on a loaded 2-core machine.
  }, 90_000)

  it('opens only the idea bank of the register to anyone: projects and products need a signed-in user', () => {
    const access = accessOf(t.app.routes)
    expect(access.get('GET /ideas')).toBe('public')
    expect(access.get('GET /ideas/:id')).toBe('public')
    for (const route of ['GET /projects', 'GET /products', 'GET /api/v1/projects', 'GET /api/v1/products/:id']) expect(access.get(route), route).toBe('viewer')
    for (const route of ['POST /projects', 'POST /products/:id/delete', 'PATCH /api/v1/products/:id']) expect(access.get(route), route).toBe('editor')
    for (const route of ['POST /projects/:id/restore', 'POST /api/v1/products/:id/restore']) expect(access.get(route), route).toBe('admin')
  })

  it('answers an anonymous API call with the contract JSON error', async () => {
    const res = await t.request('/api/v1/users')
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } })
  })

  it('answers a viewer on an admin API with 403 forbidden', async () => {
    const res = await t.request('/api/v1/users', { headers: { cookie: `session=${await sessionOf('viewer')}` } })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
  })

  it('shows an editor a friendly page, not a stack trace, when an admin page is refused', async () => {
    const res = await t.request('/admin/users', { headers: { cookie: `session=${await sessionOf('editor')}` } })
    expect(res.status).toBe(403)
    const html = await res.text()
    expect(html).toContain('Du har inte behörighet till det här.')
    expect(html).not.toMatch(/at \w+ \(|Error:/)
  })
})
