import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import { validateSession, type ValidSession } from './sessions.ts'

export const SESSION_COOKIE = 'session'
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Secure everywhere but plain-http localhost, where browsers would drop a Secure cookie. */
export function secureCookie(c: Context<AppEnv>): boolean {
  const host = new URL(c.req.url).hostname
  return !LOCAL_HOSTS.has(host) || c.req.header('x-forwarded-proto') === 'https'
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookie(c),
    expires: expiresAt,
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie(c) })
}

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization')
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

/** Who is asking: a bearer token (API scripts) or the session cookie (browsers). */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const bearer = bearerToken(c)
  const cookie = getCookie(c, SESSION_COOKIE)
  let session: ValidSession | null = null
  if (bearer) {
    session = await validateSession(c.get('db'), bearer)
  } else if (cookie) {
    session = await validateSession(c.get('db'), cookie)
    if (!session) clearSessionCookie(c)
    else if (session.kind === 'browser' && session.refreshed) setSessionCookie(c, cookie, session.expiresAt)
  }
  c.set('session', session)
  c.set('user', session?.user ?? null)
  await next()
}
