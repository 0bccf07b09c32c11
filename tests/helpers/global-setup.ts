import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { kyselyOverPglite, kyselyOverPostgres, openPglite } from '../../src/db/connect.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { databaseUrlFor, ENGINE, TEST_DATABASE_URL } from './engines.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    pgTemplate: string
  }
}

/**
 * Migrates one template database for the whole run; each test file then starts from a copy
 * (PGlite: a dump loaded in ~0.5 s; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  if (ENGINE === 'postgres') {
    const name = `navet_tpl_${process.pid}`
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    const { db } = kyselyOverPostgres(databaseUrlFor(name))
    await migrateToLatest(db)
    await db.destroy()
    project.provide('pgTemplate', name)
    project.provide('pgliteTemplate', '')
    return async () => {
      const leftovers = await admin.query(`select datname from pg_database where datname like 'navet_t_${process.pid}_%'`)
      for (const row of leftovers.rows) await admin.query(`drop database if exists ${row.datname} with (force)`)
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }
  const pglite = await openPglite({})
  const db = kyselyOverPglite(pglite)
  await migrateToLatest(db)
  const dump = await pglite.dumpDataDir('none')
  await db.destroy()
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'navet-tpl-')), 'template.tar')
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
  project.provide('pgTemplate', '')
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true })
}
