import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupDatabase, restoreDatabase } from '../../scripts/backup-format.ts'
import { connect, type DbHandle } from '../../src/db/connect.ts'
import { start } from '../../src/start.ts'
import { testConfig, type TestApp } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'
import { tmp } from './dump.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

const exec = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')

let t: TestApp
let admin: Who
let api: Api
beforeAll(async () => ({ t, admin, api } = await privacyApp({ controllerKind: 'other' })))
afterAll(() => t.close())

/** An empty database to restore into: a new data directory, or a new PostgreSQL database. */
async function emptyTarget(name: string): Promise<{ env: Record<string, string>; config: { databaseUrl?: string; dataDir: string }; done: () => Promise<void> }> {
  if (ENGINE === 'postgres') {
    const db = await testDb()
    // testDb's databases come migrated from the template: the restore wants them without content, which they are.
    await db.db.destroy()
    return { env: { DATABASE_URL: db.url! }, config: { databaseUrl: db.url!, dataDir: tmp }, done: db.close }
  }
  const dataDir = path.join(tmp, name)
  return { env: { DATA_DIR: dataDir }, config: { dataDir }, done: async () => {} }
}

async function contactIn(target: { databaseUrl?: string; dataDir: string }, id: string) {
  const h: DbHandle = await connect(target)
  try {
    return await h.db.selectFrom('contacts').select(['first_name', 'last_name', 'email', 'erased_at', 'restricted']).where('id', '=', id).executeTakeFirstOrThrow()
  } finally {
    await h.close()
  }
}

describe('erasure log: a backup taken before an erasure does not bring the person back', () => {
  it('npm run restore re-applies the erasures and restrictions listed in ERASURE_LOG', async () => {
    const gone = await api.ok(admin, 'POST', '/api/v1/contacts', { first_name: 'Bertil', last_name: 'Backupsson', email: 'bertil.backupsson@example.se' })
    const hidden = await api.ok(admin, 'POST', '/api/v1/contacts', { first_name: 'Rakel', last_name: 'Restriktion' })
    const file = path.join(tmp, 'before-erasure.jsonl.gz')
    await backupDatabase(t.db, file)
    await api.ok(admin, 'POST', `/api/v1/contacts/${gone.id}/erase`, { confirm: 'Bertil Backupsson', mode: 'anonymise' }, 200)
    await api.ok(admin, 'POST', `/api/v1/contacts/${hidden.id}/erase`, { confirm: 'Rakel Restriktion', mode: 'restrict' }, 200)

    const target = await emptyTarget('cli-restore')
    try {
      const { DATABASE_URL: _u, DATA_DIR: _d, ADMIN_EMAIL: _e, ADMIN_PASSWORD: _p, ...rest } = process.env
      const { stdout } = await exec(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', path.join(ROOT, 'scripts', 'restore.ts'), file], {
        cwd: ROOT, env: { ...rest, ...target.env, ERASURE_LOG: t.erasureLog },
      })
      expect(stdout).toContain('1 erasures and 1 restrictions re-applied')
      expect(await contactIn(target.config, gone.id)).toMatchObject({ first_name: null, last_name: null, email: null })
      expect((await contactIn(target.config, hidden.id)).restricted).toBe(true)
    } finally {
      await target.done()
    }
  }, 180_000)

  it('every start re-applies the log too (a backup restored by other means)', async () => {
    const p = await api.ok(admin, 'POST', '/api/v1/contacts', { first_name: 'Stina', last_name: 'Startsson' })
    const file = path.join(tmp, 'before-erasure-2.jsonl')
    await backupDatabase(t.db, file)
    await api.ok(admin, 'POST', `/api/v1/contacts/${p.id}/erase`, { confirm: 'Stina Startsson', mode: 'anonymise' }, 200)

    const target = await emptyTarget('start-restore')
    try {
      const h = await connect(target.config)
      await restoreDatabase(h.db, file)
      await h.close()
      expect((await contactIn(target.config, p.id)).last_name).toBe('Startsson')
      const running = await start({ ...testConfig, ...target.config, erasureLog: t.erasureLog, host: '127.0.0.1', port: 0 }, pino({ level: 'silent' }))
      await running.stop()
      expect(await contactIn(target.config, p.id)).toMatchObject({ first_name: null, last_name: null })
    } finally {
      await target.done()
    }
  }, 180_000)
})
