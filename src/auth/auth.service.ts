import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import type { User } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { findLiveUserByEmail } from '../users/users.repo.ts'
import { burnPasswordCheck, verifyPassword } from './password.ts'
import { LOGIN_LIMITS, assertNotLimited, clearFailures, limitKey, recordFailure } from './rate-limit.ts'
import { createSession, invalidateSession } from './sessions.ts'
import { SESSION_COOKIE } from './session-cookie.ts'

export class LoginFailedError extends Error {}

export function clientIp(c: Context<AppEnv>): string {
  if (c.get('deps').config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * Checks e-mail and password, counting failures per account and per IP address. Refuses
 * with RateLimitedError before looking at the password once either limit is reached.
 */
export async function authenticate(db: Executor, email: string, password: string, ip: string): Promise<User> {
  const accountKey = limitKey('login-account', email)
  const ipKey = limitKey('login-ip', ip)
  await assertNotLimited(db, accountKey, LOGIN_LIMITS.account)
  await assertNotLimited(db, ipKey, LOGIN_LIMITS.ip)
  const user = await findLiveUserByEmail(db, email)
  const ok = user?.active ? await verifyPassword(user.password_hash, password) : await burnPasswordCheck(password)
  if (!user || !ok) {
    await recordFailure(db, accountKey, LOGIN_LIMITS.account)
    await recordFailure(db, ipKey, LOGIN_LIMITS.ip)
    throw new LoginFailedError()
  }
  await clearFailures(db, accountKey)
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute()
  return user
}

/** A fresh session at every log-in; the one the browser had before (if any) ends. */
export async function rotateSession(
  c: Context<AppEnv>,
  userId: string,
  kind: 'browser' | 'api',
  origin?: { provider: 'oidc' | 'saml'; sid?: string | undefined },
) {
  const db = c.get('db')
  const old = getCookie(c, SESSION_COOKIE)?.split('.')[0]
  if (old && kind === 'browser') await invalidateSession(db, old)
  return createSession(db, userId, kind, new Date(), origin)
}
