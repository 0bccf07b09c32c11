import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type DbHandle } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { handleReturnedMail } from '../../src/newsletter/bounce.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'
import { autoReply, delivered, dsn, standing } from './returned-mail.ts'

describe('returned mail', () => {
  let handle: DbHandle & { url?: string }
  beforeAll(async () => {
    handle = await testDb()
  })
  afterAll(() => handle.close())

  it('counts only hard bounces, one per copy, and holds the address after N of them', async () => {
    const { contactId: id, tokens: [token, second] } = await delivered(handle.db, 2)
    expect(await handleReturnedMail(handle.db, autoReply(token!), 2)).toBe('auto_reply')
    expect(await handleReturnedMail(handle.db, dsn(token!, '4.2.2', 'delayed'), 2)).toBe('soft')
    expect(await handleReturnedMail(handle.db, dsn(token!, '4.4.1'), 2)).toBe('soft')
    expect(await standing(handle.db, id)).toBeUndefined()
    expect(await handleReturnedMail(handle.db, dsn(token!, '5.1.1'), 2)).toBe('counted')
    // The same report again (read twice, or sent twice): one copy bounces once.
    expect(await handleReturnedMail(handle.db, dsn(token!, '5.1.1'), 2)).toBe('already_counted')
    expect((await standing(handle.db, id))?.hard_bounces).toBe(1)
    expect(await handleReturnedMail(handle.db, dsn(second!, '5.1.1'), 2)).toBe('held')
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
    const { contactId: id, tokens } = await delivered(h.db, 2)
    if (ENGINE === 'pglite') await h.close()
    try {
      for (let n = 1; n <= 2; n++) {
        const r = await runBounce({ ...env, BOUNCE_HOLD_AFTER: '2' }, dsn(tokens[n - 1]!, '5.1.1'))
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
