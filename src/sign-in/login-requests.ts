import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import type { Executor } from '../db/write.ts'
import { secureCookie } from '../auth/session-cookie.ts'

export const LOGIN_REQUEST_COOKIE = 'signin'
const TTL_SECONDS = 10 * 60

type Kind = 'oidc' | 'saml' | 'mfa'

/**
 * Starts a sign-in step that the browser finishes later (back from the provider, or with its
 * second factor): the details stay on the server, the browser holds only a random id.
 */
export async function startLoginRequest(c: Context<AppEnv>, kind: Kind, data: Record<string, unknown>, userId: string | null = null): Promise<void> {
  const bytes = crypto.getRandomValues(new Uint8Array(20))
  const id = encodeBase32LowerCaseNoPadding(bytes)
  await c.get('db')
    .insertInto('login_requests')
    .values({ id, kind, user_id: userId, data: JSON.stringify(data), expires_at: sql<Date>`now() + make_interval(secs => ${TTL_SECONDS})` })
    .execute()
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  setCookie(c, LOGIN_REQUEST_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookie(c), maxAge: TTL_SECONDS })
}

export interface LoginRequest {
  userId: string | null
  data: Record<string, unknown>
}

/** The browser's pending sign-in step of `kind`, if still fresh; `consume` makes it single-use. */
export async function findLoginRequest(c: Context<AppEnv>, kind: Kind, consume: boolean): Promise<LoginRequest | undefined> {
  const id = getCookie(c, LOGIN_REQUEST_COOKIE)
  if (!id || id.length > 64) return undefined
  const db = c.get('db')
  // The database's clock decides freshness, as for sessions and rate limits.
  const row = consume
    ? await db
        .deleteFrom('login_requests')
        .where('id', '=', id)
        .where('kind', '=', kind)
        .where('expires_at', '>', sql<Date>`now()`)
        .returning(['user_id', 'data'])
        .executeTakeFirst()
    : await db
        .selectFrom('login_requests')
        .select(['user_id', 'data'])
        .where('id', '=', id)
        .where('kind', '=', kind)
        .where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst()
  if (consume) deleteCookie(c, LOGIN_REQUEST_COOKIE, { path: '/', secure: secureCookie(c) })
  return row ? { userId: row.user_id, data: row.data } : undefined
}

export async function deleteExpiredLoginRequests(db: Executor): Promise<void> {
  await db.deleteFrom('login_requests').where('expires_at', '<=', sql<Date>`now()`).execute()
  await db.deleteFrom('saml_assertions').where('expires_at', '<=', sql<Date>`now()`).execute()
}
