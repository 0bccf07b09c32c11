import { sql } from 'kysely'
import type { Db } from '../db/connect.ts'
import { inTransaction } from '../db/write.ts'
import { countUsers } from '../users/users.repo.ts'
import { insertUser, prepareUser } from '../users/users.service.ts'

/** ADMIN_EMAIL/ADMIN_PASSWORD create the first admin at start, only while the user table is empty. */
export async function bootstrapAdmin(db: Db, admin: { email: string; password: string } | undefined): Promise<boolean> {
  if (!admin || (await countUsers(db)) > 0) return false
  const prepared = await prepareUser({ email: admin.email.toLowerCase(), role: 'admin', active: true, password: admin.password })
  return inTransaction(db, async (tx) => {
    // Several instances starting at once on one PostgreSQL: only the first creates the admin.
    await sql`select pg_advisory_xact_lock(4242)`.execute(tx)
    if ((await countUsers(tx)) > 0) return false
    await insertUser(tx, prepared, { userId: null })
    return true
  })
}
