import type { Role, User } from '../db/schema.ts'
import { createRecord, inTransaction, updateRecord } from '../db/write.ts'
import type { Executor } from '../db/write.ts'
import { swedishSortKey } from '../web/format.ts'
import { findLiveUserByEmail } from '../users/users.repo.ts'

export interface ExternalIdentity {
  issuer: string
  subject: string
  email: string | undefined
  name: string | undefined
  role: Role
}

export type SignInRefusal = 'no_email' | 'deactivated' | 'linked_elsewhere'

export class SignInRefused extends Error {
  readonly reason: SignInRefusal
  constructor(reason: SignInRefusal) {
    super(reason)
    this.reason = reason
  }
}

// No password can match this: argon2 refuses to read it, so verifyPassword answers false.
const NO_PASSWORD = '!external'

/**
 * The Navet user for a person the provider vouched for: found by the provider's subject,
 * else by e-mail address (an account an administrator made ahead, now linked), else created.
 * The role follows the provider's groups at every sign-in. A deactivated or removed account
 * stays shut: the provider cannot reopen what an administrator closed in Navet.
 */
export async function signInExternalUser(db: Executor, who: ExternalIdentity): Promise<User> {
  return inTransaction(db, async (tx) => {
    const linked = await tx
      .selectFrom('users')
      .selectAll()
      .where('external_issuer', '=', who.issuer)
      .where('external_subject', '=', who.subject)
      .orderBy('deleted_at', 'desc')
      .executeTakeFirst()
    if (linked && (linked.deleted_at || !linked.active)) throw new SignInRefused('deactivated')
    const byEmail = !linked && who.email ? await findLiveUserByEmail(tx, who.email) : undefined
    if (byEmail && byEmail.external_subject) throw new SignInRefused('linked_elsewhere')
    if (byEmail && !byEmail.active) throw new SignInRefused('deactivated')
    const user = linked ?? byEmail
    const actor = { userId: user?.id ?? null }
    if (!user) {
      if (!who.email) throw new SignInRefused('no_email')
      const name = who.name ?? who.email.split('@')[0] ?? who.email
      return createRecord(
        tx,
        'users',
        {
          email: who.email,
          name,
          sort_name: swedishSortKey(name),
          role: who.role,
          active: true,
          password_hash: NO_PASSWORD,
          external_issuer: who.issuer,
          external_subject: who.subject,
          last_login_at: new Date(),
        },
        actor,
      )
    }
    const patch: Record<string, unknown> = {}
    if (user.role !== who.role) patch.role = who.role
    if (!user.external_subject) Object.assign(patch, { external_issuer: who.issuer, external_subject: who.subject })
    if (who.name && who.name !== user.name) Object.assign(patch, { name: who.name, sort_name: swedishSortKey(who.name) })
    const current = Object.keys(patch).length > 0 ? await updateRecord(tx, 'users', user.id, user.version, patch, actor) : user
    await tx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute()
    return current
  })
}
