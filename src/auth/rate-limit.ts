import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { RateLimitedError } from '../web/errors.ts'

export interface Limit {
  max: number
  windowSeconds: number
}

export const LOGIN_LIMITS = {
  account: { max: 5, windowSeconds: 15 * 60 },
  ip: { max: 30, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>

/** Keys are hashed so the table holds no e-mail address or IP in clear. */
export function limitKey(scope: string, value: string): string {
  return `${scope}:${encodeHexLowerCase(sha256(new TextEncoder().encode(value.toLowerCase())))}`
}

/** Throws RateLimitedError when `key` has used up its limit in the current window. */
export async function assertNotLimited(db: Executor, key: string, limit: Limit): Promise<void> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['count', 'reset_at'])
    .where('key', '=', key)
    .where('reset_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
  if (row && row.count >= limit.max) {
    throw new RateLimitedError(Math.max(1, Math.ceil((row.reset_at.getTime() - Date.now()) / 1000)))
  }
}

/** Counts one failure against `key`; a window that has run out starts again. */
export async function recordFailure(db: Executor, key: string, limit: Limit): Promise<void> {
  const window = sql`make_interval(secs => ${limit.windowSeconds})`
  await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: sql`now() + ${window}` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end`,
        reset_at: sql`case when rate_limits.reset_at <= now() then now() + ${window} else rate_limits.reset_at end`,
      }),
    )
    .execute()
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute()
}
