import nodemailer from 'nodemailer'
import type { Logger } from 'pino'
import type { MailConfig } from '../config.ts'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html?: string
  /** The SMTP envelope sender (a VERP bounce address); the From header stays MAIL_FROM. */
  returnPath?: string
  messageId?: string
  headers?: Record<string, string>
  attachments?: { filename: string; content: string; contentType: string }[]
  /** What the development log shows instead of the message: its links. */
  links: string[]
  /** What kind of message, for the development log (never who it is for). */
  kind: string
}

export interface Mailer {
  /** True without SMTP_URL: messages go to the log, and the UI says so. */
  readonly dev: boolean
  readonly from: string
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/** The domain of MAIL_FROM ("Navet <navet@example.se>" → example.se), for VERP and mailto addresses. */
export function mailDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from)
  return match?.[1] ?? 'localhost'
}

export function createMailer(config: MailConfig, log: Logger): Mailer {
  if (!config.smtpUrl) {
    return {
      dev: true,
      from: config.from,
      // Development only: the links are what a developer needs to follow the flow; the address,
      // the name and the text stay out of the log.
      async send(mail) {
        log.info({ mail: { kind: mail.kind, subject: mail.subject, links: mail.links } }, 'e-mail not sent (no SMTP_URL): its links')
      },
      close() {},
    }
  }
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 4,
    maxMessages: 500,
    rateLimit: config.rateLimit,
    rateDelta: 1000,
  })
  return {
    dev: false,
    from: config.from,
    async send(mail) {
      await transport.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        attachments: mail.attachments,
        envelope: mail.returnPath ? { from: mail.returnPath, to: mail.to } : undefined,
      })
    },
    close: () => transport.close(),
  }
}
