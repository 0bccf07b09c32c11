import type { Config } from '../config.ts'
import { mailDomain } from '../mail/mailer.ts'

/** Where links in e-mails point: PUBLIC_URL, else this server's own address. */
export function publicBase(config: Pick<Config, 'signIn' | 'host' | 'port'>): string {
  return config.signIn.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
}

export const confirmLink = (base: string, token: string) => `${base}/newsletter/confirm?token=${token}`
export const unsubscribeLink = (base: string, token: string) => `${base}/newsletter/unsubscribe/${token}`

/** VERP: a bounce comes back to bounce+<token>@domain and names the delivery it is about. */
export const bounceAddress = (from: string, token: string) => `bounce+${token}@${mailDomain(from)}`
export const unsubscribeMailto = (from: string, token: string) => `mailto:unsubscribe+${token}@${mailDomain(from)}?subject=unsubscribe`

/** The token and its purpose from a VERP address (bounce+…@ or unsubscribe+…@), or null. */
export function verpToken(address: string): { purpose: 'bounce' | 'unsubscribe'; token: string } | null {
  const match = /(?:^|[<\s])(bounce|unsubscribe)\+([a-z2-7]{40})@/i.exec(address)
  return match ? { purpose: match[1]!.toLowerCase() as 'bounce' | 'unsubscribe', token: match[2]!.toLowerCase() } : null
}
