import pino from 'pino'
import { sql } from 'kysely'
import { startOutreach } from '../../src/newsletter/outreach.ts'
import type { Db } from '../../src/db/connect.ts'
import { testApp, testConfig } from '../helpers/app.ts'
import { startSmtp } from '../helpers/smtp.ts'

export const PUBLIC_URL = 'http://localhost'
const MAIL = { smtpUrl: undefined, from: 'Navet <navet@example.se>', rateLimit: 1000, holdAfter: 3 }

/** The app with its job queue and mailer, sending to a real SMTP server started here. */
export async function outreachApp(opts: { delayMs?: number; holdAfter?: number } = {}) {
  const smtp = await startSmtp({ delayMs: opts.delayMs })
  const config = { ...testConfig, signIn: { ...testConfig.signIn, publicUrl: PUBLIC_URL }, mail: { ...MAIL, smtpUrl: smtp.url, holdAfter: opts.holdAfter ?? 3 } }
  const t = await testApp(config, pino({ level: 'silent' }), undefined, async (handle) => ({ outreach: await startOutreach(handle, config, pino({ level: 'silent' })) }))
  return {
    ...t,
    smtp,
    /** Another app instance on the same database: its own queue workers and mail pool. */
    async instance() {
      return startOutreach(t.handle, config, pino({ level: 'silent' }))
    },
    async close() {
      await t.close()
      await smtp.close()
    },
  }
}

/** `n` confirmed subscribers of `listId` (category recipient), written directly for speed. */
export async function subscribers(db: Db, listId: string, n: number, prefix = 'p'): Promise<void> {
  await sql`insert into contacts (first_name, last_name, email, sort_name, categories)
    select 'Person', ${prefix} || g, ${prefix} || g || '@example.org', 'person ' || ${prefix} || g, array['recipient']
    from generate_series(1, ${n}::int) g`.execute(db)
  await sql`insert into newsletter_subscriptions (list_id, contact_id, status, confirmed_at)
    select ${listId}, id, 'subscribed', now() from contacts where email like ${prefix + '%@example.org'}`.execute(db)
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}
