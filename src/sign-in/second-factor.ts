import type { Role } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { LOGIN_LIMITS, clearFailures, limitKey, returnAttempt, takeAttempt } from '../auth/rate-limit.ts'
import { useRecoveryCode } from './recovery-codes.ts'
import type { SignInConfig } from './sign-in.config.ts'
import { acceptedStep, openKey } from './totp.ts'

export class WrongCodeError extends Error {}

/** REQUIRE_MFA_FOR: who must have a second factor to use a password. */
export function mfaRequired(signIn: SignInConfig, role: Role): boolean {
  return signIn.requireMfaFor === 'all' || (signIn.requireMfaFor === 'admin' && role === 'admin')
}

/** After a right password: nothing more, a code, or (required but not set up) enrolment first. */
export function secondFactorStep(signIn: SignInConfig, user: { role: Role; totp_enabled_at: Date | null }): 'none' | 'code' | 'enrol' {
  if (user.totp_enabled_at) return 'code'
  return mfaRequired(signIn, user.role) ? 'enrol' : 'none'
}

/**
 * Runs `check` under the login rate limit, per account and per client address, as passwords
 * are: a wrong code counts as a failed sign-in.
 */
async function limited(db: Executor, userId: string, ip: string, check: () => Promise<boolean>): Promise<void> {
  const accountKey = limitKey('mfa-account', userId)
  const ipKey = limitKey('login-ip', ip)
  // Counted before the check, atomically (src/auth/rate-limit.ts): concurrent guesses cannot pass the limit.
  await takeAttempt(db, accountKey, LOGIN_LIMITS.secondFactor)
  await takeAttempt(db, ipKey, LOGIN_LIMITS.ip)
  if (!(await check())) throw new WrongCodeError()
  await clearFailures(db, accountKey)
  await returnAttempt(db, ipKey)
}

/** Accepts `step` for the user unless it (or a later one) was used already; atomic against a race. */
async function takeStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** The second factor at sign-in: a code from the app, or one of the recovery codes. */
export async function verifySecondFactor(db: Executor, signIn: SignInConfig, userId: string, code: string, ip: string, now = new Date()): Promise<void> {
  await limited(db, userId, ip, async () => {
    const user = await db.selectFrom('users').select(['totp_key', 'totp_last_step']).where('id', '=', userId).executeTakeFirst()
    if (!user?.totp_key) return false
    const last = user.totp_last_step === null ? null : Number(user.totp_last_step)
    const step = acceptedStep(openKey(user.totp_key, signIn.mfaKey), code.trim(), last, now)
    if (step !== null) return takeStep(db, userId, step)
    return useRecoveryCode(db, userId, code)
  })
}

/** Enrolment: the first code from the app proves it holds the offered key. */
export async function verifyPendingKey(db: Executor, signIn: SignInConfig, userId: string, code: string, ip: string, now = new Date()): Promise<number> {
  let accepted = 0
  await limited(db, userId, ip, async () => {
    const user = await db.selectFrom('users').select('totp_pending_key').where('id', '=', userId).executeTakeFirst()
    if (!user?.totp_pending_key) return false
    const step = acceptedStep(openKey(user.totp_pending_key, signIn.mfaKey), code.trim(), null, now)
    if (step === null) return false
    accepted = step
    return true
  })
  return accepted
}
