import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type DbHandle } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { handleReturnedMail } from '../../src/newsletter/bounce.ts'
import { hashToken, newToken } from '../../src/newsletter/tokens.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

/** An RFC 3464 delivery status notification, as an MTA sends it back to the VERP address. */
function dsn(token: string, status: string, action = 'failed'): string {
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

const autoReply = (token: string) => [
  'From: gone@example.org', `To: bounce+${token}@example.se`, 'Subject: Frånvaro / Out of office', 'Auto-Submitted: auto-replied', '', 'Jag är på semester.', '',
].join('\r\n')

/** A contact with a sent copy of an issue whose token is `token`. */
async function delivered(db: DbHandle['db'], token: string): Promise<string> {
  const { rows: [c] } = await sql<{ id: string }>`insert into contacts (first_name, email, sort_name) values ('Gone', 'gone@example.org', 'gone') returning id`.execute(db)
  const { rows: [l] } = await sql<{ id: string }>`insert into newsletter_lists (name) values ('L') returning id`.execute(db)
  const { rows: [i] } = await sql<{ id: string }>`insert into newsletter_issues (subject, body, list_ids, status) values ('S', 'B', array[${l!.id}]::uuid[], 'sent') returning id`.execute(db)
  await db.insertInto('newsletter_subscriptions').values({ list_id: l!.id, contact_id: c!.id, status: 'subscribed' }).execute()
  await db.insertInto('newsletter_deliveries').values({ issue_id: i!.id, contact_id: c!.id, email: 'gone@example.org', status: 'sent', token_hash: hashToken(token) }).execute()
  return c!.id
}

const standing = (db: DbHandle['db'], id: string) =>
  db.selectFrom('mail_standing').select(['hard_bounces', 'held_at']).where('contact_id', '=', id).executeTakeFirst()

describe('returned mail', () => {
  let handle: DbHandle & { url?: string }
  beforeAll(async () => {
    handle = await testDb()
  })
  afterAll(() => handle.close())

  it('counts only hard bounces, and holds the address after N of them', async () => {
    const { token } = newToken()
    const id = await delivered(handle.db, token)
    expect(await handleReturnedMail(handle.db, autoReply(token), 2)).toBe('auto_reply')
    expect(await handleReturnedMail(handle.db, dsn(token, '4.2.2', 'delayed'), 2)).toBe('soft')
    expect(await handleReturnedMail(handle.db, dsn(token, '4.4.1'), 2)).toBe('soft')
    expect(await standing(handle.db, id)).toBeUndefined()
    expect(await handleReturnedMail(handle.db, dsn(token, '5.1.1'), 2)).toBe('counted')
    expect(await handleReturnedMail(handle.db, dsn(token, '5.1.1'), 2)).toBe('held')
    expect((await standing(handle.db, id))?.held_at).toBeInstanceOf(Date)
    expect(await handleReturnedMail(handle.db, dsn('a'.repeat(40), '5.1.1'), 2)).toBe('unknown_token')
    expect(await handleReturnedMail(handle.db, 'From: x@example.org\r\nTo: info@example.se\r\n\r\nhej', 2)).toBe('not_ours')
  })
})

/** `npm run bounce < message.eml` against a database on disk (PGlite) or the test server (PostgreSQL). */
function runBounce(env: Record<string, string>, message: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'bounce'], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += String(d)))
    child.stderr.on('data', (d) => (out += String(d)))
    child.on('exit', (code) => resolve({ code, out }))
    child.stdin.end(message)
  })
}

describe('npm run bounce', () => {
  it('puts the address on hold after BOUNCE_HOLD_AFTER delivery reports (RFC 3464)', { timeout: 240_000 }, async () => {
    const { token } = newToken()
    let env: Record<string, string>
    let reopen: () => Promise<DbHandle>
    let cleanup = async () => {}
    if (ENGINE === 'postgres') {
      const h = await testDb()
      env = { DATABASE_URL: h.url! }
      reopen = async () => h
      cleanup = () => h.close()
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-bounce-'))
      env = { DATA_DIR: dir, DATABASE_URL: '' }
      reopen = async () => {
        const h = await connect({ dataDir: dir })
        await migrateToLatest(h.db)
        return h
      }
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true })
    }
    let h = await reopen()
    const id = await delivered(h.db, token)
    if (ENGINE === 'pglite') await h.close()
    try {
      for (let n = 1; n <= 2; n++) {
        const r = await runBounce({ ...env, BOUNCE_HOLD_AFTER: '2' }, dsn(token, '5.1.1'))
        expect(r.code).toBe(0)
        expect(r.out).toContain(n === 1 ? 'bounce: counted' : 'bounce: held')
      }
      if (ENGINE === 'pglite') h = await reopen()
      expect((await standing(h.db, id))?.held_at).toBeInstanceOf(Date)
    } finally {
      if (ENGINE === 'pglite') await h.close()
      await cleanup()
    }
  })
})
