import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

/**
 * Tokens in e-mail links and return paths: 200 random bits in lower-case base32, so they survive
 * in an address's local part (VERP) and in case-folding mail systems. Only the SHA-256 is stored.
 */
export const TOKEN = /^[a-z2-7]{40}$/

export function newToken(): { token: string; hash: Uint8Array } {
  const bytes = new Uint8Array(25)
  crypto.getRandomValues(bytes)
  const token = encodeBase32LowerCaseNoPadding(bytes)
  return { token, hash: hashToken(token) }
}

export function hashToken(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token))
}
