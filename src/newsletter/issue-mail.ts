import type { Mailer, OutgoingMail } from '../mail/mailer.ts'
import { mailDomain } from '../mail/mailer.ts'
import { bounceAddress, unsubscribeLink, unsubscribeMailto } from './links.ts'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** Plain text to simple HTML: paragraphs at blank lines, addresses as links. */
export function bodyHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/(https?:\/\/[^\s<&]+)/g, '<a href="$1">$1</a>').replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}

export interface IssueForMail {
  id: string
  subject: string
  body: string
  /** The composed HTML (src/newsletter/compose.ts); else the text is turned into paragraphs. */
  body_html?: string | null
}

/**
 * One recipient's copy of an issue. Every copy carries List-Unsubscribe (https and mailto) and
 * List-Unsubscribe-Post (RFC 8058 one-click), and a VERP return path naming the delivery, so a
 * bounce maps back to it. The Message-ID is the delivery's: a copy re-sent after a crash keeps it.
 */
export function issueMail(mailer: Mailer, base: string, issue: IssueForMail, delivery: { id: string; email: string }, token: string, footer: string): OutgoingMail {
  const unsubscribe = unsubscribeLink(base, token)
  const text = `${issue.body}\n\n-- \n${footer}\n${unsubscribe}\n`
  return {
    kind: 'newsletter-issue',
    to: delivery.email,
    subject: issue.subject,
    text,
    html: `${issue.body_html ?? bodyHtml(issue.body)}\n<hr>\n<p>${escapeHtml(footer)} <a href="${unsubscribe}">${escapeHtml(unsubscribe)}</a></p>`,
    returnPath: bounceAddress(mailer.from, token),
    messageId: `<${delivery.id}@${mailDomain(mailer.from)}>`,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>, <${unsubscribeMailto(mailer.from, token)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `<newsletter.${mailDomain(mailer.from)}>`,
      Precedence: 'bulk',
    },
    links: [unsubscribe],
  }
}
