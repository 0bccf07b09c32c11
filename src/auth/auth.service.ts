import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { getCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import type { User } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { findLiveUserByEmail } from '../users/users.repo.ts'
import { burnPasswordCheck, verifyPassword } from './password.ts'
import { forwarded } from './proxy.ts'
import { LOGIN_LIMITS, clearFailures, limitKey, returnAttempt, takeAttempt } from './rate-limit.ts'
import { createSession, invalidateSession, validateSession } from './sessions.ts'
import { SESSION_COOKIE } from './session-cookie.ts'

export class LoginFailedError extends Error {}

/** The client's address: the one our proxy saw (TRUST_PROXY), else the socket's peer. */
export function clientIp(c: Context<AppEnv>): string {
  const viaProxy = forwarded(c, 'x-forwarded-for')
  if (viaProxy) return viaProxy
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * Checks e-mail and password. Every attempt takes its place in the limits before the password is
 * looked at (RateLimitedError once a limit is used up); a successful one gives its places back and
 * clears this client's failures for the account. The narrow limit is taken first, so attempts it
 * refuses do not count against the account as a whole.
 */
export async function authenticate(db: Executor, email: string, password: string, ip: string): Promise<User> {
  const accountClientKey = limitKey('login-account-client', email, ip)
  const ipKey = limitKey('login-ip', ip)
  const accountKey = limitKey('login-account', email)
  await takeAttempt(db, accountClientKey, LOGIN_LIMITS.accountClient)
  await takeAttempt(db, ipKey, LOGIN_LIMITS.ip)
  await takeAttempt(db, accountKey, LOGIN_LIMITS.account)
  const user = await findLiveUserByEmail(db, email)
  const ok = user?.active ? await verifyPassword(user.password_hash, password) : await burnPasswordCheck(password)
  if (!user || !ok) throw new LoginFailedError()
  await clearFailures(db, accountClientKey)
  await returnAttempt(db, ipKey)
  await returnAttempt(db, accountKey)
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
  // Only a session whose secret the browser holds: an id alone would let anyone end anyone's.
  const oldToken = getCookie(c, SESSION_COOKIE)
  const old = oldToken && kind === 'browser' ? await validateSession(db, oldToken) : null
  if (old) await invalidateSession(db, old.id)
  return createSession(db, userId, kind, new Date(), origin)
}
