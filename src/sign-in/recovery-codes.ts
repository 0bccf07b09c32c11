import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import type { Executor } from '../db/write.ts'

const COUNT = 10

function normalise(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '')
}

// 50 random bits each: a fast hash is enough (no dictionary to try), and lookups stay cheap.
function hash(code: string): Uint8Array {
  return sha256(new TextEncoder().encode(normalise(code)))
}

/** New one-time recovery codes replace any old ones; only their hashes are kept. */
export async function replaceRecoveryCodes(db: Executor, userId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, () => {
    const raw = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(7))).slice(0, 10)
    return `${raw.slice(0, 5)}-${raw.slice(5)}`
  })
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await db.insertInto('recovery_codes').values(codes.map((c) => ({ user_id: userId, code_hash: hash(c) }))).execute()
  return codes
}

/** Uses up a recovery code; true if it was one of the user's unused codes. */
export async function useRecoveryCode(db: Executor, userId: string, code: string): Promise<boolean> {
  if (normalise(code).length !== 10) return false
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash(code))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return used !== undefined
}

export async function deleteRecoveryCodes(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
}
