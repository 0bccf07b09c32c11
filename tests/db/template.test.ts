import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { MIGRATIONS_DIR } from '../../migrations/index.ts'
import { saveTemplate, templateFile } from '../../src/db/template.ts'
import { ENGINE } from '../helpers/engines.ts'
import { preparedDataDir } from '../helpers/server-process.ts'

// A first start on an empty DATA_DIR unpacks the migrated template instead of initdb and every
// migration (src/db/template.ts); the bench measures how much faster that is.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-template-test-'))
const templates = path.join(dir, 'templates')
const before = process.env.PGLITE_TEMPLATE_DIR
process.env.PGLITE_TEMPLATE_DIR = templates
afterAll(() => {
  if (before === undefined) delete process.env.PGLITE_TEMPLATE_DIR
  else process.env.PGLITE_TEMPLATE_DIR = before
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the embedded database template\'s name', () => {
  it('changes with a migration\'s text beside its `up` (a list of tables it goes through), not only with `up` itself', () => {
    const copy = path.join(dir, 'migrations')
    fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true })
    const named = templateFile(templates, copy)
    expect(named).toBe(templateFile(templates))
    const file = path.join(copy, '20261203T1910_data_version_network.ts')
    const text = fs.readFileSync(file, 'utf8')
    const tables = "const TABLES = ['projects', 'project_partners', 'themes', 'organisation_relationships'] as const"
    expect(text).toContain(tables)
    fs.writeFileSync(file, text.replace(tables, "const TABLES = ['projects', 'project_partners', 'themes'] as const"))
    expect(templateFile(templates, copy)).not.toBe(named)
  })
})

describe.skipIf(ENGINE !== 'pglite')('the embedded database template', () => {
  it('is kept from a migrated database, and a new empty data directory starts from it already migrated', async () => {
    // A migrated database (the test run's own template) keeps itself as the template.
    const source = await connect({ dataDir: await preparedDataDir(path.join(dir, 'source')) })
    expect(source.blank).toBe(false)
    expect(await saveTemplate(source.pglite!)).toBe(templateFile())
    await source.close()
    expect(fs.existsSync(templateFile())).toBe(true)

    const fresh = await connect({ dataDir: path.join(dir, 'fresh') })
    try {
      expect(fresh.blank).toBe(false)
      // The tables are there before any migration runs, and no migration is left to run.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from contacts`.execute(fresh.db)
      expect(rows[0]!.n).toBe(0)
      expect((await migrateToLatest(fresh.db)).results).toEqual([])
    } finally {
      await fresh.close()
    }
  }, 120_000)

  it('is not used for templates of other migrations: an empty directory without one is blank', async () => {
    fs.rmSync(templates, { recursive: true, force: true })
    fs.mkdirSync(templates, { recursive: true })
    fs.writeFileSync(path.join(templates, 'pglite-template-0000000000000000.tar'), 'not ours')
    const other = await connect({ dataDir: path.join(dir, 'other') })
    try {
      expect(other.blank).toBe(true)
    } finally {
      await other.close()
    }
  }, 120_000)
})
