import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import type { Role } from '../db/schema.ts'

// Sliding expiry: a session lives IDLE_TIMEOUT past its last use, and never past MAX_LIFETIME.
export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000
export const MAX_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000
// Writing on every request would serialise all reads on the embedded database's one connection.
const REFRESH_AFTER_MS = 60 * 1000

export interface SessionUser {
  id: string
  email: string
  name: string
  role: Role
  /** A second factor (TOTP) is set up. */
  mfaEnabled: boolean
}

export interface ValidSession {
  id: string
  kind: 'browser' | 'api'
  expiresAt: Date
  /** The expiry moved forward on this request: a cookie needs re-sending. */
  refreshed: boolean
  /** Signed in through an identity provider (its logout follows ours), or null for a password. */
  provider: 'oidc' | 'saml' | null
  user: SessionUser
}

function randomString(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret))
}

/** Creates a session and returns its token `<id>.<secret>`; only the secret's SHA-256 is stored. */
export async function createSession(
  db: Executor,
  userId: string,
  kind: 'browser' | 'api',
  now = new Date(),
  origin: { provider: 'oidc' | 'saml'; sid?: string | undefined } | undefined = undefined,
): Promise<{ token: string; expiresAt: Date }> {
  const id = randomString()
  const secret = randomString()
  const expiresAt = new Date(now.getTime() + IDLE_TIMEOUT_MS)
  await db
    .insertInto('sessions')
    .values({
      id,
      secret_hash: hashSecret(secret),
      user_id: userId,
      kind,
      created_at: now,
      expires_at: expiresAt,
      absolute_expires_at: new Date(now.getTime() + MAX_LIFETIME_MS),
      provider: origin?.provider ?? null,
      provider_sid: origin?.sid ?? null,
    })
    .execute()
  return { token: `${id}.${secret}`, expiresAt }
}

export async function validateSession(db: Executor, token: string, now = new Date()): Promise<ValidSession | null> {
  const [id, secret, extra] = token.split('.')
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.kind',
      'sessions.secret_hash',
      'sessions.expires_at',
      'sessions.absolute_expires_at',
      'sessions.provider',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.role',
      'users.active',
      'users.deleted_at',
      'users.totp_enabled_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null
  const expired = now >= row.expires_at || now >= row.absolute_expires_at
  if (expired || !row.active || row.deleted_at) {
    await invalidateSession(db, id)
    return null
  }
  let expiresAt = row.expires_at
  let refreshed = false
  const slid = new Date(Math.min(now.getTime() + IDLE_TIMEOUT_MS, row.absolute_expires_at.getTime()))
  if (slid.getTime() - expiresAt.getTime() >= REFRESH_AFTER_MS) {
    await db.updateTable('sessions').set({ expires_at: slid }).where('id', '=', id).execute()
    expiresAt = slid
    refreshed = true
  }
  return {
    id,
    kind: row.kind,
    expiresAt,
    refreshed,
    provider: row.provider,
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role, mfaEnabled: row.totp_enabled_at !== null },
  }
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

export async function invalidateUserSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

export async function deleteExpiredSessions(db: Executor): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('absolute_expires_at', '<=', sql<Date>`now()`)]))
    .execute()
}
