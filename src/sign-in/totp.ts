import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp'

// RFC 6238 as authenticator apps expect it: SHA-1, 30-second steps, six digits.
export const STEP_SECONDS = 30
export const DIGITS = 6

export function newTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20))
}

export function keyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI('Navet', accountName, key, STEP_SECONDS, DIGITS)
}

/** The key as a person types it by hand: base32 in groups of four. */
export function manualKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})/g, '$1 ').trim()
}

/**
 * The time step `code` is valid for — the current one or its neighbours (clocks drift) — and
 * only later than `lastStep`, so a code (or an earlier one) is never accepted twice; else null.
 */
export function acceptedStep(key: Uint8Array, code: string, lastStep: number | null, now: Date = new Date()): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const current = Math.floor(now.getTime() / 1000 / STEP_SECONDS)
  for (const step of [current - 1, current, current + 1]) {
    if (lastStep !== null && step <= lastStep) continue
    if (verifyHOTP(key, BigInt(step), DIGITS, code)) return step
  }
  return null
}

// Stored as one byte of format, then: 0 → the key as is; 1 → AES-256-GCM iv(12) ‖ tag(16) ‖ data.
export function sealKey(key: Uint8Array, secret: Uint8Array | undefined): Uint8Array {
  if (!secret) return new Uint8Array([0, ...key])
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secret, iv)
  const data = Buffer.concat([cipher.update(key), cipher.final()])
  return new Uint8Array(Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), data]))
}

export class SealedKeyError extends Error {}

export function openKey(sealed: Uint8Array, secret: Uint8Array | undefined): Uint8Array {
  const bytes = Buffer.from(sealed)
  if (bytes[0] === 0) return new Uint8Array(bytes.subarray(1))
  if (bytes[0] !== 1 || !secret) throw new SealedKeyError('the TOTP key is encrypted and MFA_ENCRYPTION_KEY is not the one it was sealed with')
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(1, 13))
    decipher.setAuthTag(bytes.subarray(13, 29))
    return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]))
  } catch {
    throw new SealedKeyError('the TOTP key could not be decrypted with MFA_ENCRYPTION_KEY')
  }
}
