import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { createApp } from '../../src/app.ts'
import type { AppDeps } from '../../src/app-env.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import type { Config } from '../../src/config.ts'
import { createSession } from '../../src/auth/sessions.ts'
import { LOCAL_ONLY } from '../../src/sign-in/sign-in.config.ts'
import type { Role } from '../../src/db/schema.ts'
import { createUser } from '../../src/users/users.service.ts'
import type { Feature } from '../../src/web/plug-in.ts'
import { testDb } from './db.ts'
import { serveLastAfter } from '../../src/db/data-version.ts'

export const ORIGIN = 'http://localhost'
export const PASSWORD = 'correct horse battery staple'

export const testConfig: Config = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: undefined,
  dataDir: './data',
  admin: undefined,
  logLevel: 'silent',
  trustProxy: true,
  signIn: LOCAL_ONLY,
}

export type TestApp = Awaited<ReturnType<typeof testApp>>

let userCounter = 0

/** The whole app over a private database, driven in-process through app.request(). */
export async function testApp(
  config: Partial<Config> = {},
  log: pino.Logger = pino({ level: 'silent' }),
  plugged?: readonly Feature[],
  extra?: (handle: DbHandle, config: Config) => Promise<Pick<AppDeps, 'outreach'>>,
) {
  const handle = await testDb()
  // The dashboard's figures always current, however long a count took on a busy machine: tests that
  // read, write and read again expect the write in the figures (tests/dashboard/dashboard-counting.test.ts
  // sets its own threshold).
  serveLastAfter(handle.db, Number.POSITIVE_INFINITY)
  // Each app its own erasure log, outside the project (erasures write to it).
  const erasureLog = path.join(os.tmpdir(), `navet-test-erasures-${process.pid}-${++userCounter}.log`)
  const full = { ...testConfig, erasureLog, ...config }
  const more = extra ? await extra(handle, full) : {}
  const app = createApp({ db: handle.db, engine: handle.engine, config: full, log, ...more }, plugged)

  async function user(role: Role, fields: { name?: string; email?: string; password?: string } = {}) {
    const n = ++userCounter
    return createUser(
      handle.db,
      {
        email: fields.email ?? `${role}${n}@example.se`,
        name: fields.name ?? `Testperson ${role} ${n}`,
        role,
        active: true,
        password: fields.password ?? PASSWORD,
      },
      { userId: null },
    )
  }

  /** A signed-in browser: its cookie, and same-origin headers on unsafe requests. */
  async function browser(role: Role) {
    const u = await user(role)
    const { token } = await createSession(handle.db, u.id, 'browser')
    return { user: u, token, cookie: `session=${token}` }
  }

  async function apiToken(role: Role) {
    const u = await user(role)
    const { token } = await createSession(handle.db, u.id, 'api')
    return { user: u, token, headers: { authorization: `Bearer ${token}` } }
  }

  return {
    app,
    db: handle.db,
    engine: handle.engine,
    /** The database's URL on PostgreSQL (for pg_dump); undefined on PGlite. */
    url: (handle as { url?: string }).url,
    erasureLog,
    handle,
    outreach: more.outreach,
    async close() {
      await more.outreach?.stop()
      await handle.close()
    },
    user,
    browser,
    apiToken,
    request: (path: string, init?: RequestInit) => app.request(path, init),
  }
}

/** Form POST as a same-origin browser would send it. */
export function formPost(fields: Record<string, string>, cookie?: string): RequestInit {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    origin: ORIGIN,
    'sec-fetch-site': 'same-origin',
  }
  if (cookie) headers.cookie = cookie
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString() }
}

export function jsonRequest(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }
}

/** The value a browser would keep for cookie `name` (the last Set-Cookie wins), or undefined. */
export function cookieFrom(res: Response, name: string): string | undefined {
  let value: string | undefined
  for (const c of res.headers.getSetCookie()) {
    const [pair = ''] = c.split(';')
    const eq = pair.indexOf('=')
    if (pair.slice(0, eq) === name) value = pair.slice(eq + 1)
  }
  return value
}
