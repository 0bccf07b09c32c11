import { simpleParser, type AddressObject } from 'mailparser'
import type { Executor } from '../db/write.ts'
import { verpToken } from './links.ts'
import { recordHardBounce, unsubscribe } from './unsubscribe.service.ts'

export type BounceOutcome = 'held' | 'counted' | 'already_counted' | 'soft' | 'auto_reply' | 'unsubscribed' | 'not_ours' | 'unknown_token'

const addressTexts = (v: AddressObject | AddressObject[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map((a) => a.text)

/**
 * The delivery-status fields of an RFC 3464 report: the first recipient's Action and Status.
 * A permanent failure is `Action: failed` with a 5.x.x status; 4.x.x and `delayed` are soft.
 */
export function deliveryStatus(raw: string): { action: string; status: string } | null {
  const part = /content-type:\s*message\/delivery-status[^]*?\r?\n\r?\n([^]*?)(?:\r?\n--|$)/i.exec(raw)
  if (!part) return null
  const fields = part[1]!
  const action = /^action:\s*([a-z]+)/im.exec(fields)?.[1]?.toLowerCase()
  const status = /^status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(fields)?.[1]
  return action && status ? { action, status } : null
}

/**
 * One message that came back to a VERP address (a bounce, an auto-reply) or to the mailto
 * unsubscribe address. Soft bounces and auto-replies do not count against the address.
 */
export async function handleReturnedMail(db: Executor, raw: string, holdAfter: number): Promise<BounceOutcome> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true })
  const candidates = [
    ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => {
      const v = mail.headers.get(h)
      return typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : v && typeof v === 'object' && 'text' in v ? [String(v.text)] : []
    }),
    ...addressTexts(mail.to),
  ]
  const found = candidates.map(verpToken).find((v) => v !== null)
  if (!found) return 'not_ours'
  if (found.purpose === 'unsubscribe') return (await unsubscribe(db, found.token, { kind: 'issue' })) ? 'unsubscribed' : 'unknown_token'
  const report = deliveryStatus(raw)
  // Not a delivery report: an auto-reply (Auto-Submitted, out-of-office) or a person writing back.
  if (!report) return 'auto_reply'
  if (report.action !== 'failed' || !report.status.startsWith('5.')) return 'soft'
  const result = await recordHardBounce(db, found.token, holdAfter)
  return result === 'unknown' ? 'unknown_token' : result
}
