import type { Context } from 'hono'
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import type { Role } from '../db/schema.ts'
import { audit, type Executor } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'

/**
 * Who is looking: a signed-in role, a visitor of a public page, or an export/mailing (a file or
 * message that leaves the register, whoever makes it).
 */
export type Audience = Role | 'public' | 'export'

/** The reader of this request; a file export or mailing list is `export` whoever asks. */
export function audienceOf(c: Context<AppEnv>): Audience {
  return c.get('user')?.role ?? 'public'
}

/**
 * The one rule of who sees which person (issue 11): a restricted person only by admins; a
 * person with protected identity only by admins and editors; neither of them on a public page,
 * in an export, a mailing or an invitation list. `alias` names the contacts row in the query.
 */
export function contactVisibleTo(audience: Audience, alias = 'contacts'): RawBuilder<SqlBool> {
  const restricted = sql.ref(`${alias}.restricted`)
  const protectedIdentity = sql.ref(`${alias}.protected_identity`)
  switch (audience) {
    case 'admin':
      return sql<SqlBool>`true`
    case 'editor':
      return sql<SqlBool>`not ${restricted}`
    default:
      return sql<SqlBool>`not ${restricted} and not ${protectedIdentity}`
  }
}

/** Whether one person (already read) may be seen by `audience`. */
export function mayShowContact(audience: Audience, c: { restricted: boolean; protected_identity: boolean }): boolean {
  if (audience === 'admin') return true
  if (c.restricted) return false
  return audience === 'editor' || !c.protected_identity
}

/** The ids of the people `audience` may not see (for views assembled from a shared cache). */
export async function hiddenContactIds(db: Executor, audience: Audience): Promise<Set<string>> {
  if (audience === 'admin') return new Set()
  const { rows } = await sql<{ id: string }>`select c.id from contacts c where not (${contactVisibleTo(audience, 'c')})`.execute(db)
  return new Set(rows.map((r) => r.id))
}

/**
 * Before a person's record is shown: a reader who may not see them gets 404 (not 403: the
 * record's existence is itself personal), and every view of a protected identity is audited.
 */
export async function guardContactView(c: Context<AppEnv>, contact: { id: string; restricted: boolean; protected_identity: boolean }): Promise<void> {
  if (!mayShowContact(audienceOf(c), contact)) throw new NotFoundError()
  if (contact.protected_identity) await audit(c.get('db'), { userId: c.get('user')?.id ?? null }, 'contact', contact.id, 'view', {})
}
