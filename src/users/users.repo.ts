import { sql } from 'kysely'
import type { Role, User } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { keysetPage, nameThenId, type Page } from '../db/pagination.ts'

export async function findUser(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<User | undefined> {
  let q = db.selectFrom('users').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  return q.executeTakeFirst()
}

export async function findLiveUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function countActiveAdmins(db: Executor, exceptId?: string): Promise<number> {
  let q = db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('deleted_at', 'is', null)
  if (exceptId) q = q.where('id', '!=', exceptId)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

export interface UserFilter {
  q?: string | undefined
  role?: Role | Role[] | undefined
  active?: 'true' | 'false' | undefined
  limit: number
  cursor?: string | undefined
  deleted?: boolean
}

/** Users by Swedish name order, a page at a time. */
export async function pageUsers(db: Executor, f: UserFilter): Promise<Page<User>> {
  let q = db.selectFrom('users').selectAll()
  q = f.deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null)
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('email', 'ilike', like)]))
  }
  if (f.role) q = q.where('role', 'in', Array.isArray(f.role) ? f.role : [f.role])
  if (f.active) q = q.where('active', '=', f.active === 'true')
  return keysetPage(q, nameThenId(), f)
}
