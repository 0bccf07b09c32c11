import { z } from 'zod'
import type { PoolSettings } from './db/connect.ts'
import { parseMailboxUrl } from './newsletter/mailbox-url.ts'
import { signInEnv, signInProblems, toSignInConfig, type SignInConfig } from './sign-in/sign-in.config.ts'

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v)

const envSchema = z
  .object({
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
    ),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    // PostgreSQL only: the request pool's size, and how long a request waits for a free connection.
    DATABASE_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(10)),
    DATABASE_POOL_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(30_000)),
    // Either engine. Off for a pooler in transaction mode that keeps no prepared statements (src/db/prepared.ts).
    DATABASE_PREPARED_STATEMENTS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
    // How long an idle keep-alive connection stays open: longer than a load balancer's idle
    // timeout (60 s on the common ones), so the app never closes a connection the balancer is
    // about to reuse, and a client waiting on a long queue does not find its connection reset.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1_000).max(290_000).default(65_000)),
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    ADMIN_PASSWORD: z.preprocess(
      emptyToUndefined,
      z.string().refine((p) => p.trim().length >= 12, 'at least 12 characters besides spaces at either end').optional(),
    ),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
    // Behind a TLS-terminating proxy the app sees http; cookies must still be Secure.
    TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
    // Who the data protection law sees: an authority may not rely on legitimate interest for its
    // tasks, and may erase official records only under a culling decision (arkivlagen).
    CONTROLLER_KIND: z.preprocess(emptyToUndefined, z.enum(['authority', 'other']).default('authority')),
    ERASURE_LOG: z.preprocess(emptyToUndefined, z.string().optional()),
    // The accessibility statement's responsible organisation and feedback route (src/accessibility).
    ACCESSIBILITY_ORGANISATION: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
    ACCESSIBILITY_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    ACCESSIBILITY_PHONE: z.preprocess(emptyToUndefined, z.string().max(40).optional()),
    ACCESSIBILITY_ASSESSED_ON: z.preprocess(emptyToUndefined, z.iso.date().optional()),
    ...signInEnv,
    SMTP_URL: z.preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().min(3).default('Navet <navet@localhost>')),
    MAIL_RATE_LIMIT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10000).default(50)),
    BOUNCE_HOLD_AFTER: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(3)),
    // Returned mail in an IMAP mailbox (src/newsletter/bounce-mailbox.ts). Its message never repeats the value: it holds a password.
    BOUNCE_IMAP_URL: z.preprocess(emptyToUndefined, z.string().optional().superRefine((v, ctx) => {
      if (v === undefined) return
      try {
        parseMailboxUrl(v)
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
      }
    })),
    BOUNCE_IMAP_INTERVAL: z.preprocess(emptyToUndefined, z.coerce.number().int().min(5).max(86400).default(300)),
    // How many proxies append to X-Forwarded-For in front of the app: the client is that many from the right.
    TRUST_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10).default(1)),
  })
  .refine((env) => !env.ADMIN_EMAIL === !env.ADMIN_PASSWORD, {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .superRefine((env, ctx) => {
    for (const p of signInProblems(env)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message })
  })

export type Config = {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  /** PostgreSQL's request pool (src/db/connect.ts), and on either engine whether statements are prepared; unset: DEFAULT_POOL. */
  pool?: PoolSettings
  /** HTTP keep-alive idle timeout of the server (src/start.ts); unset: 65 s. */
  keepAliveTimeoutMs?: number
  admin: { email: string; password: string } | undefined
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  trustProxy: boolean
  /** Unset means 'authority' (the default). */
  controllerKind?: 'authority' | 'other'
  /** The erasure log outside the database (src/privacy/erasure-log.ts); unset: DATA_DIR/erasures.log. */
  erasureLog?: string | undefined
  accessibility?: { organisation?: string; email?: string; phone?: string; assessedOn?: string }
  signIn: SignInConfig
  /** Outreach's mail settings (SMTP_URL, MAIL_FROM, …); unset: DEFAULT_MAIL. */
  mail?: MailConfig
  /** Proxies in front of the app that append to X-Forwarded-For (default 1). */
  trustProxyHops?: number
}

export interface MailConfig {
  /** Unset: messages are written to the log (development). */
  smtpUrl: string | undefined
  from: string
  /** Messages per second through the pool. */
  rateLimit: number
  /** Hard bounces before an address is put on hold. */
  holdAfter: number
  /** An IMAP mailbox of returned mail to poll (imaps://user:pass@host/INBOX); unset: none. */
  bounceImapUrl?: string
  /** Seconds between two polls of that mailbox (default 300). */
  bounceImapIntervalSeconds?: number
}

export const DEFAULT_MAIL: MailConfig = { smtpUrl: undefined, from: 'Navet <navet@localhost>', rateLimit: 50, holdAfter: 3 }

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    // Only names and reasons: a value here may be a password.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    pool: { max: e.DATABASE_POOL_MAX, connectionTimeoutMillis: e.DATABASE_POOL_TIMEOUT_MS, preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'true' },
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === 'true',
    controllerKind: e.CONTROLLER_KIND,
    erasureLog: e.ERASURE_LOG,
    accessibility: {
      organisation: e.ACCESSIBILITY_ORGANISATION,
      email: e.ACCESSIBILITY_EMAIL,
      phone: e.ACCESSIBILITY_PHONE,
      assessedOn: e.ACCESSIBILITY_ASSESSED_ON,
    },
    signIn: toSignInConfig(e),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, rateLimit: e.MAIL_RATE_LIMIT, holdAfter: e.BOUNCE_HOLD_AFTER,
      bounceImapUrl: e.BOUNCE_IMAP_URL, bounceImapIntervalSeconds: e.BOUNCE_IMAP_INTERVAL },
    trustProxyHops: e.TRUST_PROXY_HOPS,
  }
}
