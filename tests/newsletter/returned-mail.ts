import { sql } from 'kysely'
import type { DbHandle } from '../../src/db/connect.ts'
import { hashToken, newToken } from '../../src/newsletter/tokens.ts'

/** An RFC 3464 delivery status notification, as an MTA sends it back to the VERP address. */
export function dsn(token: string, status: string, action = 'failed'): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
    `To: bounce+${token}@example.se`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'The mail system could not deliver your message.',
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    '',
    'Final-Recipient: rfc822; gone@example.org',
    `Action: ${action}`,
    `Status: ${status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    '--b1--',
    '',
  ].join('\r\n')
}

export const autoReply = (token: string) => [
  'From: gone@example.org', `To: bounce+${token}@example.se`, 'Subject: Frånvaro / Out of office', 'Auto-Submitted: auto-replied', '', 'Jag är på semester.', '',
].join('\r\n')

/** A contact with `copies` sent copies (each of its own issue); their tokens, oldest first. */
export async function delivered(db: DbHandle['db'], copies: number): Promise<{ contactId: string; tokens: string[] }> {
  const email = `gone-${newToken().token.slice(0, 8)}@example.org`
  const { rows: [c] } = await sql<{ id: string }>`insert into contacts (first_name, email, sort_name) values ('Gone', ${email}, 'gone') returning id`.execute(db)
  const { rows: [l] } = await sql<{ id: string }>`insert into newsletter_lists (name) values ('L') returning id`.execute(db)
  await db.insertInto('newsletter_subscriptions').values({ list_id: l!.id, contact_id: c!.id, status: 'subscribed' }).execute()
  const tokens: string[] = []
  for (let n = 0; n < copies; n++) {
    const { token } = newToken()
    const { rows: [i] } = await sql<{ id: string }>`insert into newsletter_issues (subject, body, list_ids, status) values ('S', 'B', array[${l!.id}]::uuid[], 'sent') returning id`.execute(db)
    await db.insertInto('newsletter_deliveries').values({ issue_id: i!.id, contact_id: c!.id, email, status: 'sent', token_hash: hashToken(token) }).execute()
    tokens.push(token)
  }
  return { contactId: c!.id, tokens }
}

export const standing = (db: DbHandle['db'], id: string) =>
  db.selectFrom('mail_standing').select(['hard_bounces', 'held_at']).where('contact_id', '=', id).executeTakeFirst()
