import { ImapFlow } from 'imapflow'
import type { Logger } from 'pino'
import type { Executor } from '../db/write.ts'
import { repeatEvery } from '../jobs/repeat.ts'
import { safeError } from '../log.ts'
import { handleReturnedMail, type BounceOutcome } from './bounce.ts'
import { parseMailboxUrl, type Mailbox } from './mailbox-url.ts'

/**
 * Returned mail read from an IMAP mailbox (`BOUNCE_IMAP_URL`), for a relay that delivers the
 * VERP addresses to a mailbox instead of piping them to `npm run bounce`. Each message goes
 * through the same handleReturnedMail; a handled message gets the keyword below (and \Seen), and
 * a poll only reads messages without it, so a message is read once. Should the keyword be lost
 * (a crash between the two, two instances polling at once), a message read again still counts
 * once: a copy bounces only once (recordHardBounce).
 */
export const HANDLED_KEYWORD = 'NavetHandled'
/** The pipe's limit too: a bounce is small, and a larger message is read only this far. */
export const MAX_BYTES = 10 * 1024 * 1024
/** Messages read per poll at most; the rest wait for the next. */
const PER_POLL = 500

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i

export type PollResult = Partial<Record<BounceOutcome | 'failed', number>>

/** One pass over the mailbox: every message not handled yet, oldest first. */
export async function pollBounceMailbox(db: Executor, mailbox: Mailbox, holdAfter: number, log: Logger): Promise<PollResult> {
  const client = new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure,
    // Credentials never cross the network in clear: STARTTLS is required off this machine.
    doSTARTTLS: mailbox.secure ? undefined : LOOPBACK.test(mailbox.host) ? undefined : true,
    auth: { user: mailbox.user, pass: mailbox.pass },
    // Its log would name the account and the mailbox's contents: our own lines only.
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    socketTimeout: 120_000,
  })
  const result: PollResult = {}
  await client.connect()
  try {
    const lock = await client.getMailboxLock(mailbox.path)
    try {
      const uids = (await client.search({ unKeyword: HANDLED_KEYWORD }, { uid: true })) || []
      for (const uid of uids.slice(0, PER_POLL)) {
        const message = await client.fetchOne(String(uid), { uid: true, source: { maxLength: MAX_BYTES } }, { uid: true })
        if (!message || !message.source) continue
        let outcome: BounceOutcome | 'failed'
        try {
          outcome = await handleReturnedMail(db, message.source.toString('utf8'), holdAfter)
        } catch (err) {
          // Left unmarked: the next poll tries it again (the database may be back by then).
          log.warn({ err: safeError(err) }, 'a returned message could not be handled')
          result.failed = (result.failed ?? 0) + 1
          continue
        }
        await client.messageFlagsAdd(String(uid), ['\\Seen', HANDLED_KEYWORD], { uid: true })
        result[outcome] = (result[outcome] ?? 0) + 1
      }
    } finally {
      lock.release()
    }
  } finally {
    await client.logout().catch(() => client.close())
  }
  return result
}

/** What of an IMAP error may be logged: its kind and the server's response code, never its text. */
function imapError(err: unknown) {
  const e = err as { code?: unknown; serverResponseCode?: unknown; authenticationFailed?: unknown }
  const code = [e.serverResponseCode, e.code].find((c) => typeof c === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(c))
  return { ...safeError(err), ...(code ? { imap: code as string } : {}), ...(e.authenticationFailed ? { authenticationFailed: true } : {}) }
}

export interface BouncePolling {
  /** Polls now, or joins the poll under way; the next poll is then an interval later. */
  pollNow(): Promise<PollResult | undefined>
  stop(): Promise<void>
}

/** Polls the mailbox every `intervalSeconds`, the first time at once. Polls never overlap. */
export function startBouncePolling(db: Executor, opts: { url: string; intervalSeconds: number; holdAfter: number }, log: Logger): BouncePolling {
  const mailbox = parseMailboxUrl(opts.url)
  const poll = async (): Promise<PollResult | undefined> => {
    try {
      const result = await pollBounceMailbox(db, mailbox, opts.holdAfter, log)
      if (Object.keys(result).length > 0) log.info({ bounces: result }, 'bounce mailbox read')
      return result
    } catch (err) {
      log.warn({ err: imapError(err) }, 'bounce mailbox could not be read')
      return undefined
    }
  }
  const polling = repeatEvery(opts.intervalSeconds * 1000, poll)
  return { pollNow: polling.runNow, stop: polling.stop }
}
