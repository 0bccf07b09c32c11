import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db/connect.ts'
import { deleteExpiredImports } from '../../src/import/import.repo.ts'
import { start } from '../../src/start.ts'
import { createUser } from '../../src/users/users.service.ts'
import { testConfig } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'
import { preparedDataDir } from '../helpers/server-process.ts'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-retention-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** An upload and a report of `hoursAgo`, holding a fictional person; returns their ids. */
async function leftovers(db: Db, hoursAgo: number) {
  const user = await createUser(db, { email: `importer${hoursAgo}@example.se`, name: 'Ingrid Import', role: 'editor', active: true, password: 'an importer password' }, { userId: null })
  const at = sql<Date>`now() - make_interval(hours => ${hoursAgo})`
  const upload = await db.insertInto('import_uploads')
    .values({ user_id: user.id, entity: 'contacts', filename: 'lista.csv', delimiter: ';', chunks: 1, created_at: at })
    .returning('id').executeTakeFirstOrThrow()
  await db.insertInto('import_upload_chunks').values({ upload_id: upload.id, seq: 0, content: 'Förnamn;Efternamn\r\nKerstin;Glömd\r\n' }).execute()
  const report = await db.insertInto('import_reports')
    .values({ user_id: user.id, entity: 'contacts', filename: 'lista.csv', total: 1, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1, headers: '["Förnamn","Efternamn"]', failed_rows: '[{"line":2,"cells":["Kerstin","Glömd"],"error":"x"}]', created_at: at })
    .returning('id').executeTakeFirstOrThrow()
  return { upload: upload.id, report: report.id }
}

const exists = async (db: Db, table: 'import_uploads' | 'import_reports', id: string) =>
  !!(await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst())

describe('what an import leaves behind', () => {
  it('removes uploads after 24 hours and reports with their failed rows after 30 days, whether or not anyone uploads again', async () => {
    const handle = await testDb()
    try {
      const fresh = await leftovers(handle.db, 23)
      const dayOld = await leftovers(handle.db, 25)
      const monthOld = await leftovers(handle.db, 31 * 24)
      expect(await deleteExpiredImports(handle.db)).toEqual({ uploads: 2, reports: 1 })
      expect(await exists(handle.db, 'import_uploads', fresh.upload)).toBe(true)
      expect(await exists(handle.db, 'import_uploads', dayOld.upload)).toBe(false)
      expect(await exists(handle.db, 'import_reports', dayOld.report)).toBe(true)
      expect(await exists(handle.db, 'import_reports', monthOld.report)).toBe(false)
    } finally {
      await handle.close()
    }
  })

  it('is cleaned when the server starts', async () => {
    let config = { ...testConfig }
    let close = async () => {}
    let abandoned: { upload: string; report: string }
    if (ENGINE === 'postgres') {
      const handle = await testDb()
      abandoned = await leftovers(handle.db, 48)
      config = { ...config, databaseUrl: handle.url }
      close = handle.close
    } else {
      const { connect } = await import('../../src/db/connect.ts')
      const dataDir = await preparedDataDir(path.join(tmp, 'start'))
      const handle = await connect({ dataDir })
      abandoned = await leftovers(handle.db, 48)
      await handle.close()
      config = { ...config, dataDir }
    }
    const running = await start(config, pino({ level: 'silent' }))
    try {
      const deadline = Date.now() + 10_000
      while (await exists(running.handle.db, 'import_uploads', abandoned.upload) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(await exists(running.handle.db, 'import_uploads', abandoned.upload)).toBe(false)
    } finally {
      await running.stop()
      await close()
    }
  })
})
