import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql, type Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations } from '../../migrations/index.ts'
import { backupDatabase, BackupError, restoreDatabase } from '../../scripts/backup-format.ts'
import { createSession } from '../../src/auth/sessions.ts'
import { connect, type Db } from '../../src/db/connect.ts'
import { lockDataDir } from '../../src/db/data-dir-lock.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { createUser, deleteUser, updateUser } from '../../src/users/users.service.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-backup-test-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
let fileCounter = 0
const tmpFile = (name: string) => path.join(tmp, `${fileCounter++}-${name}`)

/** Every row of a table as PostgreSQL prints it: exact to the microsecond, jsonb included. */
async function rowsOf(db: Db, table: string): Promise<string[]> {
  const result = await sql<{ j: string }>`select to_jsonb(r)::text as j from ${sql.id(table)} as r order by r.id`.execute(db)
  return result.rows.map((r) => r.j)
}

async function count(db: Db, table: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(table)}`.execute(db)
  return result.rows[0]!.n
}

/** Some users with history: created, renamed, one deleted, one with a session. */
async function addPeople(db: Db): Promise<void> {
  const admin = await createUser(db, { email: 'admin@example.se', name: 'Åsa Öberg', role: 'admin', active: true, password: 'correct horse battery staple' }, { userId: null })
  const editor = await createUser(db, { email: 'editor@example.se', name: 'Erik "Ede" Ek\nNewline', role: 'editor', active: true, password: 'correct horse battery staple' }, { userId: admin.id })
  const viewer = await createUser(db, { email: 'viewer@example.se', role: 'viewer', active: true, password: 'correct horse battery staple' }, { userId: admin.id })
  await updateUser(db, editor.id, editor.version, { name: 'Erik Ek 🌲', role: 'viewer' }, { userId: admin.id })
  await deleteUser(db, viewer.id, { userId: admin.id })
  await createSession(db, admin.id, 'browser')
}

async function expectSameContent(source: Db, target: Db): Promise<void> {
  for (const table of ['users', 'audit_log']) {
    const before = await rowsOf(source, table)
    expect(before.length).toBeGreaterThan(0)
    expect(await rowsOf(target, table)).toEqual(before)
  }
  // And as the app reads them: Dates and parsed jsonb.
  const k = (db: Db) => db as unknown as Kysely<any>
  expect(await k(target).selectFrom('users').selectAll().orderBy('id').execute()).toEqual(
    await k(source).selectFrom('users').selectAll().orderBy('id').execute(),
  )
  expect(await k(target).selectFrom('audit_log').selectAll().orderBy('id').execute()).toEqual(
    await k(source).selectFrom('audit_log').selectAll().orderBy('id').execute(),
  )
}

/** A table with the awkward types and a self-reference pointing forward, for the generic path. */
async function createProbeTable(db: Db): Promise<void> {
  await sql`
    create table backup_probe (
      id bigint generated always as identity primary key,
      parent_id bigint references backup_probe (id),
      label text not null,
      tags text[],
      doc jsonb,
      blob bytea,
      amount numeric,
      big bigint,
      ratio double precision,
      day date,
      at timestamptz,
      span interval,
      doubled bigint generated always as (big * 2) stored
    )`.execute(db)
  // No primary key (read along ctid), and a name that sorts before the table it references.
  await sql`create table a_probe_log (probe_id bigint not null references backup_probe (id), note text)`.execute(db)
}

describe(`backup and restore (${ENGINE})`, () => {
  it('restores users and the audit log exactly into an empty database, without sessions', async () => {
    const source = await testDb()
    const target = await testDb()
    try {
      await addPeople(source.db)
      const file = tmpFile('people.jsonl.gz')
      const backup = await backupDatabase(source.db, file)
      const names = backup.tables.map((x) => x.name)
      expect(names).toContain('users')
      // Referenced tables come first; the short-lived ones are left out.
      expect(names.indexOf('users')).toBeLessThan(names.indexOf('audit_log'))
      expect(names).not.toContain('sessions')
      expect(names).not.toContain('rate_limits')
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(fs.existsSync(`${file}.partial`)).toBe(false)

      const restored = await restoreDatabase(target.db, file)
      expect(restored.rows).toBe(backup.rows)
      await expectSameContent(source.db, target.db)
      expect(await count(target.db, 'sessions')).toBe(0)
    } finally {
      await source.close()
      await target.close()
    }
  })

  it('round-trips jsonb, arrays, bytea, numeric, bigint, timestamps and forward self-references', async () => {
    const source = await testDb()
    const target = await testDb()
    try {
      await createProbeTable(source.db)
      await createProbeTable(target.db)
      const n = 1234 // more than one page (1000) and several insert batches (500)
      // Each row points at the next one, so a plain insert in file order would break the foreign key.
      await sql`
        insert into backup_probe (id, parent_id, label, tags, doc, blob, amount, big, ratio, day, at, span)
        overriding system value
        select i, case when i < ${n} then i + 1 end, 'row ' || i, array['a,b', 'c"d', null, 'ö'],
               jsonb_build_object('i', i, 'nested', jsonb_build_array(1.50, 'x\ny', null, true)),
               decode(lpad(to_hex(i), 8, '0'), 'hex'), 12345678901234567890.123456789 + i,
               9007199254740993 + i, 0.1 * i, date '2024-02-29' + i,
               timestamptz '2026-01-02 03:04:05.123456+02' + i * interval '1 microsecond',
               interval '1 day 02:03:04.5'
        from generate_series(1, ${n}) as i`.execute(source.db)
      await sql`select setval(pg_get_serial_sequence('backup_probe', 'id'), ${n})`.execute(source.db)
      await sql`insert into backup_probe (label, at, ratio) values ('edge', 'infinity', 'NaN')`.execute(source.db)

      await sql`insert into a_probe_log (probe_id, note) select 1 + i % ${n}, 'note ' || i from generate_series(1, 1500) as i`.execute(source.db)

      const file = tmpFile('probe.jsonl')
      const backup = await backupDatabase(source.db, file)
      const names = backup.tables.map((x) => x.name)
      expect(names.indexOf('backup_probe')).toBeLessThan(names.indexOf('a_probe_log'))
      await restoreDatabase(target.db, file)
      const before = await rowsOf(source.db, 'backup_probe')
      expect(before).toHaveLength(n + 1)
      expect(await rowsOf(target.db, 'backup_probe')).toEqual(before)
      const logOf = async (db: Db) =>
        (await sql<{ j: string }>`select to_jsonb(l)::text as j from a_probe_log l order by note`.execute(db)).rows.map((r) => r.j)
      expect(await logOf(target.db)).toEqual(await logOf(source.db))
      expect(await logOf(target.db)).toHaveLength(1500)
      // The identity continues after the restored rows.
      const next = await sql<{ id: string }>`insert into backup_probe (label) values ('new') returning id::text`.execute(target.db)
      expect(Number(next.rows[0]!.id)).toBe(n + 2)
    } finally {
      await source.close()
      await target.close()
    }
  }, 60_000)

  it('restores a backup made by an older version: loads at its schema, then migrates up', async () => {
    const [oldest] = Object.keys(migrations).sort()
    const source = await testDb()
    const target = await testDb()
    try {
      const down = await new Migrator({ db: source.db, provider: { getMigrations: async () => migrations } }).migrateTo(oldest!)
      if (down.error) throw down.error
      await createUser(source.db, { email: 'old@example.se', name: 'Olle Gammal', role: 'admin', active: true, password: 'correct horse battery staple' }, { userId: null })
      const file = tmpFile('old.jsonl')
      await backupDatabase(source.db, file)

      const restored = await restoreDatabase(target.db, file)
      expect(restored.migrations).toEqual([oldest])
      expect(restored.migratedAfterLoad).toEqual(Object.keys(migrations).sort().slice(1))
      // Later migrations may add columns (empty for old rows): compare the ones the backup had.
      for (const table of ['users', 'audit_log']) {
        const before = (await rowsOf(source.db, table)).map((j) => JSON.parse(j) as Record<string, unknown>)
        const after = (await rowsOf(target.db, table)).map((j) => JSON.parse(j) as Record<string, unknown>)
        expect(after.map((row, i) => Object.fromEntries(Object.keys(before[i] ?? {}).map((k) => [k, row[k]])))).toEqual(before)
      }
    } finally {
      await source.close()
      await target.close()
    }
  })

  it('refuses to restore into a database that has content, and changes nothing', async () => {
    const source = await testDb()
    const target = await testDb()
    try {
      await addPeople(source.db)
      const file = tmpFile('people.jsonl')
      await backupDatabase(source.db, file)
      await createUser(target.db, { email: 'someone@example.se', role: 'admin', active: true, password: 'correct horse battery staple' }, { userId: null })
      const users = await rowsOf(target.db, 'users')
      const audit = await rowsOf(target.db, 'audit_log')

      await expect(restoreDatabase(target.db, file)).rejects.toThrow(/not empty.*users \(1 rows\).*Nothing was changed/s)
      expect(await rowsOf(target.db, 'users')).toEqual(users)
      expect(await rowsOf(target.db, 'audit_log')).toEqual(audit)
    } finally {
      await source.close()
      await target.close()
    }
  })

  it('refuses a backup from a newer version, and a cut-short file, leaving the target empty', async () => {
    const source = await testDb()
    const target = await testDb()
    try {
      await addPeople(source.db)
      const file = tmpFile('people.jsonl')
      await backupDatabase(source.db, file)
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n')

      const header = JSON.parse(lines[0]!)
      header.migrations.push('29991231T0000_from_the_future')
      const newer = tmpFile('newer.jsonl')
      fs.writeFileSync(newer, [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n')
      await expect(restoreDatabase(target.db, newer)).rejects.toThrow(/newer version of Navet.*29991231T0000_from_the_future/)

      // Everything but the end marker: the rows load, then the whole transaction rolls back.
      const cut = tmpFile('cut.jsonl')
      fs.writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n')
      await expect(restoreDatabase(target.db, cut)).rejects.toThrow(BackupError)
      await expect(restoreDatabase(target.db, cut)).rejects.toThrow(/incomplete/)
      expect(await count(target.db, 'users')).toBe(0)
      expect(await count(target.db, 'audit_log')).toBe(0)

      await expect(restoreDatabase(target.db, tmpFile('missing.jsonl'))).rejects.toThrow(/No such file/)
    } finally {
      await source.close()
      await target.close()
    }
  })

  it('npm run backup / restore work from the command line against the configured database', async () => {
    const script = (name: string) => path.join(ROOT, 'scripts', name)
    const cli = (name: string, file: string, env: Record<string, string>) => {
      const { DATABASE_URL: _u, DATA_DIR: _d, ADMIN_EMAIL: _e, ADMIN_PASSWORD: _p, ...rest } = process.env
      return run(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', script(name), file], {
        cwd: ROOT,
        env: { ...rest, ...env },
      })
    }
    const file = tmpFile('cli.jsonl.gz')

    if (ENGINE === 'postgres') {
      const source = await testDb()
      const target = await testDb()
      try {
        await addPeople(source.db)
        await cli('backup.ts', file, { DATABASE_URL: source.url! })
        const { stdout } = await cli('restore.ts', file, { DATABASE_URL: target.url! })
        expect(stdout).toMatch(/Restored \d+ rows/)
        await expectSameContent(source.db, target.db)
      } finally {
        await source.close()
        await target.close()
      }
      return
    }

    const sourceDir = path.join(tmp, 'cli-source')
    const targetDir = path.join(tmp, 'cli-target')
    const source = await connect({ dataDir: sourceDir })
    try {
      await migrateToLatest(source.db)
      await addPeople(source.db)
    } finally {
      await source.close()
    }
    await cli('backup.ts', file, { DATA_DIR: sourceDir })
    const { stdout } = await cli('restore.ts', file, { DATA_DIR: targetDir })
    expect(stdout).toMatch(/Restored \d+ rows/)

    // A data directory held by a running server (here: this live process) cannot be backed up.
    const unlock = lockDataDir(sourceDir)
    const locked = await cli('backup.ts', tmpFile('locked.jsonl'), { DATA_DIR: sourceDir }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    )
    unlock()
    expect(locked?.code).toBe(1)
    expect(locked?.stderr).toMatch(/in use by another server.*server stopped/s)

    const a = await connect({ dataDir: sourceDir })
    const b = await connect({ dataDir: targetDir })
    try {
      await expectSameContent(a.db, b.db)
    } finally {
      await a.close()
      await b.close()
    }
  }, 180_000)
})
