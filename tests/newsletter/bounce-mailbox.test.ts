import { Writable } from 'node:stream'
import { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { createLogger } from '../../src/log.ts'
import { HANDLED_KEYWORD, startBouncePolling } from '../../src/newsletter/bounce-mailbox.ts'
import { startOutreach } from '../../src/newsletter/outreach.ts'
import { testConfig } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { IN_CI } from '../helpers/engines.ts'
import { hasDovecot, startImap } from '../helpers/imap-server.ts'
import { autoReply, delivered, dsn, standing } from './returned-mail.ts'

// A real IMAP server (Debian's dovecot, which .ci/run installs); on a machine without it the
// test says so and is skipped, in CI it fails.
const dovecot = hasDovecot()
if (!dovecot && !IN_CI) console.warn('bounce-mailbox.test.ts skipped: no /usr/sbin/dovecot (apt-get install dovecot-imapd)')

function capturedLog() {
  const lines: string[] = []
  const log = createLogger('debug', new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done() } }))
  return { log, text: () => lines.join('') }
}

describe.runIf(dovecot || IN_CI)('returned mail from an IMAP mailbox (BOUNCE_IMAP_URL)', () => {
  let handle: DbHandle & { url?: string }
  let imap: Awaited<ReturnType<typeof startImap>>
  let client: ImapFlow
  beforeAll(async () => {
    handle = await testDb()
    imap = await startImap()
    client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false, disableAutoIdle: true })
    await client.connect()
  }, 60_000)
  afterAll(async () => {
    await client?.logout().catch(() => undefined)
    await imap?.close()
    await handle?.close()
  })

  const put = (message: string) => client.append('INBOX', message)

  it('counts a DSN once after a poll, never again on the next, and holds the address after N', { timeout: 60_000 }, async () => {
    const { contactId, tokens: [first, second] } = await delivered(handle.db, 2)
    await put(dsn(first!, '5.1.1'))
    await put(autoReply(first!))
    const { log, text } = capturedLog()
    const polling = startBouncePolling(handle.db, { url: imap.url, intervalSeconds: 3600, holdAfter: 2 }, log)
    try {
      // The first poll runs at start.
      expect(await polling.pollNow()).toEqual({ counted: 1, auto_reply: 1 })
      expect((await standing(handle.db, contactId))?.hard_bounces).toBe(1)

      // Marked in the mailbox: the next poll does not read them again.
      await client.mailboxOpen('INBOX')
      expect(await client.search({ keyword: HANDLED_KEYWORD }, { uid: true })).toHaveLength(2)
      expect(await client.search({ seen: false }, { uid: true })).toEqual([])
      expect(await polling.pollNow()).toEqual({})
      expect((await standing(handle.db, contactId))?.hard_bounces).toBe(1)

      // Even a message whose mark was lost (a crash between counting and marking) counts once.
      await client.messageFlagsRemove('1:*', [HANDLED_KEYWORD])
      expect(await polling.pollNow()).toEqual({ already_counted: 1, auto_reply: 1 })
      expect((await standing(handle.db, contactId))?.hard_bounces).toBe(1)
      expect((await standing(handle.db, contactId))?.held_at).toBeNull()

      // A second copy's hard bounce: N = 2, the address is put on hold.
      await put(dsn(second!, '5.1.1'))
      expect(await polling.pollNow()).toEqual({ held: 1 })
      expect((await standing(handle.db, contactId))?.held_at).toBeInstanceOf(Date)
    } finally {
      await polling.stop()
    }
    expect(text()).toContain('bounce mailbox read')
    expect(text()).not.toContain(imap.password)
  })

  it('is polled by the server when BOUNCE_IMAP_URL is set', { timeout: 60_000 }, async () => {
    const { contactId, tokens: [token] } = await delivered(handle.db, 1)
    await put(dsn(token!, '5.1.1'))
    const mail = { smtpUrl: undefined, from: 'Navet <navet@example.se>', rateLimit: 50, holdAfter: 3, bounceImapUrl: imap.url, bounceImapIntervalSeconds: 3600 }
    const outreach = await startOutreach(handle as DbHandle, { ...testConfig, mail }, capturedLog().log)
    try {
      expect(outreach.bounces).toBeDefined()
      await outreach.bounces!.pollNow()
      expect((await standing(handle.db, contactId))?.hard_bounces).toBe(1)
    } finally {
      await outreach.stop()
    }
  })

  it('logs a failed poll without the password', { timeout: 60_000 }, async () => {
    const wrong = imap.url.replace(encodeURIComponent(imap.password), 'fel-l%C3%B6senord-99')
    const { log, text } = capturedLog()
    const polling = startBouncePolling(handle.db, { url: wrong, intervalSeconds: 3600, holdAfter: 2 }, log)
    try {
      expect(await polling.pollNow()).toBeUndefined()
    } finally {
      await polling.stop()
    }
    expect(text()).toContain('bounce mailbox could not be read')
    expect(text()).not.toContain('fel-l')
    expect(text()).not.toContain(imap.user)
  })
})

describe('BOUNCE_IMAP_URL', () => {
  it('is checked at start, and a bad one is named without its value', () => {
    expect(loadConfig({ BOUNCE_IMAP_URL: 'imaps://u:p%C3%A5ss@mail.example.se:993/Returer', BOUNCE_IMAP_INTERVAL: '60' }).mail).toMatchObject({
      bounceImapUrl: 'imaps://u:p%C3%A5ss@mail.example.se:993/Returer', bounceImapIntervalSeconds: 60,
    })
    for (const bad of ['https://u:secret-1@mail.example.se/INBOX', 'imaps://mail.example.se/INBOX', 'imaps://u:secret-1@/x']) {
      expect(() => loadConfig({ BOUNCE_IMAP_URL: bad })).toThrow(ConfigError)
      try {
        loadConfig({ BOUNCE_IMAP_URL: bad })
      } catch (err) {
        expect((err as Error).message).toContain('BOUNCE_IMAP_URL')
        expect((err as Error).message).not.toContain('secret-1')
      }
    }
  })
})
