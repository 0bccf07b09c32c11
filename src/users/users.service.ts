import type { Role, User } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { hashPassword } from '../auth/password.ts'
import { invalidateUserSessions } from '../auth/sessions.ts'
import { swedishSortKey } from '../web/format.ts'
import { ValidationError } from '../web/errors.ts'
import { countActiveAdmins, findLiveUserByEmail, findUser } from './users.repo.ts'

export interface UserInput {
  email: string
  name?: string | undefined
  role: Role
  active: boolean
  password: string
}

export interface UserPatch {
  email?: string | undefined
  name?: string | undefined
  role?: Role | undefined
  active?: boolean | undefined
  password?: string | undefined
}

export function toApiUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    last_login_at: u.last_login_at?.toISOString() ?? null,
    version: u.version,
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
  }
}

async function assertEmailFree(db: Executor, email: string, exceptId?: string): Promise<void> {
  const other = await findLiveUserByEmail(db, email)
  if (other && other.id !== exceptId) throw new ValidationError({ email: 'validation.email_taken' })
}

export interface PreparedUser extends Omit<UserInput, 'password'> {
  passwordHash: string
}

/** Hashing takes ~50 ms of CPU: do it before the transaction, which holds the embedded database. */
export async function prepareUser(input: UserInput): Promise<PreparedUser> {
  const { password, ...rest } = input
  return { ...rest, passwordHash: await hashPassword(password) }
}

export async function insertUser(db: Executor, input: PreparedUser, actor: Actor): Promise<User> {
  return inTransaction(db, async (tx) => {
    await assertEmailFree(tx, input.email)
    const name = input.name ?? input.email.split('@')[0] ?? input.email
    return createRecord(
      tx,
      'users',
      { email: input.email, name, sort_name: swedishSortKey(name), role: input.role, active: input.active, password_hash: input.passwordHash },
      actor,
    )
  })
}

export async function createUser(db: Executor, input: UserInput, actor: Actor): Promise<User> {
  return insertUser(db, await prepareUser(input), actor)
}

/**
 * Changes a user. A new password, deactivation or removal ends all of the user's sessions at
 * once, in the same transaction; the last active administrator cannot be demoted or deactivated.
 */
export async function updateUser(
  db: Executor,
  id: string,
  version: number,
  patch: UserPatch,
  actor: Actor,
): Promise<User> {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined
  return inTransaction(db, async (tx) => {
    const current = await findUser(tx, id)
    if (current && patch.email) await assertEmailFree(tx, patch.email, id)
    const losesAdmin = current?.role === 'admin' && current.active &&
      ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false)
    if (losesAdmin && (await countActiveAdmins(tx, id)) === 0) {
      throw new ValidationError({ [patch.active === false ? 'active' : 'role']: 'validation.last_admin' })
    }
    const values: Record<string, unknown> = {}
    if (patch.email !== undefined) values.email = patch.email
    if (patch.name !== undefined) Object.assign(values, { name: patch.name, sort_name: swedishSortKey(patch.name) })
    if (patch.role !== undefined) values.role = patch.role
    if (patch.active !== undefined) values.active = patch.active
    if (passwordHash) Object.assign(values, { password_hash: passwordHash, password_changed_at: new Date() })
    const user = await updateRecord(tx, 'users', id, version, values, actor)
    if (passwordHash || patch.active === false) await invalidateUserSessions(tx, id)
    return user
  })
}

export async function deleteUser(db: Executor, id: string, actor: Actor): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await findUser(tx, id)
    if (current?.role === 'admin' && current.active && (await countActiveAdmins(tx, id)) === 0) {
      throw new ValidationError({ id: 'validation.last_admin' })
    }
    await softDeleteRecord(tx, 'users', id, actor)
    await invalidateUserSessions(tx, id)
  })
}

export async function restoreUser(db: Executor, id: string, actor: Actor): Promise<User> {
  return inTransaction(db, async (tx) => {
    const user = await findUser(tx, id, { withDeleted: true })
    if (user) await assertEmailFree(tx, user.email, id)
    return restoreRecord(tx, 'users', id, actor)
  })
}
