import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { createApp } from '../src/app.ts'
import { createSession } from '../src/auth/sessions.ts'
import { kyselyOverPglite, kyselyOverPostgres, openPglite, type Db } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { LOCAL_ONLY } from '../src/sign-in/sign-in.config.ts'
import { createUser } from '../src/users/users.service.ts'

/**
 * A database for a benchmark that starts the server: migrated, filled by `fill`, with an admin's
 * API token, then handed over — PGlite in a temporary DATA_DIR (closed first: one process at a
 * time), or a fresh database `name` on the server in DATABASE_URL. `drop()` removes it.
 */
export async function serverDatabase(name: string, fill: (db: Db) => Promise<void>): Promise<{ env: Record<string, string>; engine: 'pglite' | 'postgres'; token: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL
  let db: Db
  let env: Record<string, string>
  let close: () => Promise<void>
  let drop: () => Promise<void>
  if (server) {
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      try { await client.query(statement) } finally { await client.end() }
    }
    await admin(`drop database if exists ${name} with (force)`)
    await admin(`create database ${name}`)
    const url = new URL(server)
    url.pathname = `/${name}`
    db = kyselyOverPostgres(url.toString()).db
    env = { DATABASE_URL: url.toString() }
    close = () => db.destroy()
    drop = () => admin(`drop database if exists ${name} with (force)`)
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`))
    const pglite = await openPglite({ dataDir: dir })
    db = kyselyOverPglite(pglite)
    env = { DATA_DIR: dir }
    close = async () => { await db.destroy(); if (!pglite.closed) await pglite.close() }
    drop = async () => fs.rmSync(dir, { recursive: true, force: true })
  }
  await migrateToLatest(db)
  await fill(db)
  const { api } = await benchSessions(db)
  await close()
  return { env, engine: server ? 'postgres' : 'pglite', token: api.token, drop }
}

/**
 * The benchmark admin (bench@example.se), made if missing, with a browser and an API session of
 * its own (each run makes new ones; the old are left behind).
 */
export async function benchSessions(db: Db): Promise<{ userId: string; browser: { token: string }; api: { token: string } }> {
  const existing = await db.selectFrom('users').select('id').where('email', '=', 'bench@example.se').executeTakeFirst()
  const userId = existing?.id ??
    (await createUser(db, { email: 'bench@example.se', name: 'Bench Admin', role: 'admin', active: true, password: 'bench-password-16' }, { userId: null })).id
  return { userId, browser: await createSession(db, userId, 'browser'), api: await createSession(db, userId, 'api') }
}

/** The app in this process over `db` (no server, no log), for a benchmark that asks it with `app.request`. */
export function inProcessApp(db: Db, engine: 'pglite' | 'postgres', dataDir = ''): ReturnType<typeof createApp> {
  return createApp({
    db, engine,
    config: { port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir, admin: undefined, logLevel: 'silent', trustProxy: false, signIn: LOCAL_ONLY },
    log: pino({ level: 'silent' }),
  } as never)
}
