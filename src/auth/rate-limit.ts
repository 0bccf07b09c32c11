import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { RateLimitedError } from '../web/errors.ts'

export interface Limit {
  max: number
  windowSeconds: number
  /** Each attempt past `max` doubles the wait (up to a day): hammering only locks out the hammerer. */
  backOff?: boolean
}

/**
 * The owner of an account is never locked out by someone else's guesses from another address:
 * the tight limit is per account *and* client. Per client it limits one address trying many
 * accounts; per account, a guessing spread over many addresses (20 of them at 5 each).
 */
export const LOGIN_LIMITS = {
  accountClient: { max: 5, windowSeconds: 15 * 60, backOff: true },
  ip: { max: 30, windowSeconds: 15 * 60, backOff: true },
  account: { max: 100, windowSeconds: 15 * 60 },
  // Whoever is asked for a code already gave the right password: the account's own limit is tight.
  secondFactor: { max: 5, windowSeconds: 15 * 60, backOff: true },
} satisfies Record<string, Limit>

const MAX_BACK_OFF_SECONDS = 24 * 60 * 60

/** Keys are hashed so the table holds no e-mail address or IP in clear. */
export function limitKey(scope: string, ...values: string[]): string {
  return `${scope}:${encodeHexLowerCase(sha256(new TextEncoder().encode(values.map((v) => v.toLowerCase()).join('\n'))))}`
}

/**
 * Counts one attempt against `key` and refuses it when that makes one too many — in a single
 * statement, so concurrent attempts each take their own place: sixty at once get `max` through,
 * not as many as were in flight before the first was counted.
 */
export async function takeAttempt(db: Executor, key: string, limit: Limit): Promise<void> {
  const window = sql`make_interval(secs => ${limit.windowSeconds})`
  const expired = sql`rate_limits.reset_at <= now()`
  const count = sql<number>`case when ${expired} then 1 else rate_limits.count + 1 end`
  const backOff = limit.backOff
    ? sql`now() + make_interval(secs => least(${limit.windowSeconds}::float8 * power(2, ${count} - ${limit.max}), ${MAX_BACK_OFF_SECONDS}))`
    : sql`rate_limits.reset_at`
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: sql`now() + ${window}` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count,
        reset_at: sql`case when ${expired} then now() + ${window} when ${count} > ${limit.max} then greatest(rate_limits.reset_at, ${backOff}) else rate_limits.reset_at end`,
      }),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow()
  if (Number(row.count) > limit.max) {
    throw new RateLimitedError(Math.max(1, Math.ceil((row.reset_at.getTime() - Date.now()) / 1000)))
  }
}

/** Gives back the place a successful attempt took. */
export async function returnAttempt(db: Executor, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set({ count: sql`greatest(rate_limits.count - 1, 0)` })
    .where('key', '=', key)
    .execute()
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute()
}
