import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Role } from '../db/schema.ts'
import { ForbiddenError, UnauthenticatedError } from '../web/errors.ts'
import { isApi, redirectAfterWrite } from '../web/htmx.ts'

const rank: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 }

export function hasRole(userRole: Role, needed: Role): boolean {
  return rank[userRole] >= rank[needed]
}

/** Marks a middleware as the route's access declaration; createApp refuses routes without one. */
export const ACCESS = Symbol('access')
type AccessMiddleware = MiddlewareHandler<AppEnv> & { [ACCESS]: Role | 'public' }

function declare(level: Role | 'public', fn: MiddlewareHandler<AppEnv>): AccessMiddleware {
  return Object.assign(fn, { [ACCESS]: level })
}

function loginRedirect(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url)
  const next = c.req.method === 'GET' ? url.pathname + url.search : '/'
  const target = `/login?next=${encodeURIComponent(next)}`
  // A fragment request whose session ran out gets HX-Redirect: the whole page goes to the form.
  return redirectAfterWrite(c, target)
}

/** The route needs a signed-in user with at least `role`. */
export function requireRole(role: Role): AccessMiddleware {
  return declare(role, async (c, next) => {
    c.set('roleDeclared', true)
    const user = c.get('user')
    if (!user) {
      if (isApi(c)) throw new UnauthenticatedError()
      return loginRedirect(c)
    }
    if (!hasRole(user.role, role)) throw new ForbiddenError()
    await next()
  })
}

/** The route is open to anyone, signed in or not. */
export const publicAccess: AccessMiddleware = declare('public', async (c, next) => {
  c.set('roleDeclared', true)
  await next()
})

interface RouteInfo {
  method: string
  path: string
  handler: unknown
}

/** `GET /contacts/:id{[0-9a-fA-F-]{36}}` → `GET /contacts/:id`: a route named as people write it. */
export function routeKey(method: string, path: string): string {
  return `${method} ${path.replace(/(:\w+)\{[^/]*\}/g, '$1')}`
}

/** Every method+path must carry an access declaration; returns the ones that do not. */
export function undeclaredRoutes(routes: readonly RouteInfo[]): string[] {
  const groups = new Map<string, boolean>()
  for (const r of routes) {
    if (r.method === 'ALL') continue
    const key = routeKey(r.method, r.path)
    const declared = typeof r.handler === 'function' && ACCESS in r.handler
    groups.set(key, (groups.get(key) ?? false) || declared)
  }
  return [...groups].filter(([, ok]) => !ok).map(([key]) => key)
}

export function accessOf(routes: readonly RouteInfo[]): Map<string, Role | 'public'> {
  const out = new Map<string, Role | 'public'>()
  for (const r of routes) {
    if (r.method !== 'ALL' && typeof r.handler === 'function' && ACCESS in r.handler) {
      out.set(routeKey(r.method, r.path), (r.handler as AccessMiddleware)[ACCESS])
    }
  }
  return out
}
