import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { fromPglite, PgBoss } from 'pg-boss'
import { MIGRATIONS_DIR } from '../../migrations/index.ts'
import { ROOT } from '../paths.ts'

/**
 * A migrated, empty embedded database kept as a tarball (PGlite's dumpDataDir), so that a first
 * start on an empty DATA_DIR unpacks it instead of running initdb and every migration in
 * WebAssembly (about 6 s of CPU). It is made once per set of migrations: at image build time
 * (`npm run build:template`, the Dockerfile does it) or else by the first start that had to
 * migrate from nothing. The file's name holds a digest of the migrations' files and of the PGlite
 * version, so a template from other migrations is never used; the migrations still
 * run after it is unpacked (nothing to do when it is current). It lives in `.cache/` in the
 * app's folder, or in PGLITE_TEMPLATE_DIR.
 */
export function templateFile(dir = process.env.PGLITE_TEMPLATE_DIR ?? path.join(ROOT, '.cache'), migrationsDir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256')
  hash.update(pgliteVersion())
  // Each file's whole text, not only its migrations' `up` functions: what `up` reads beside it (a
  // list of tables, a constant) shapes the schema as much, and a template made before such a
  // change would have been taken as current.
  const files = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => f.name)
  for (const name of files.sort()) hash.update(`\0${name}\0`).update(fs.readFileSync(path.join(migrationsDir, name)))
  return path.join(dir, `pglite-template-${hash.digest('hex').slice(0, 16)}.tar`)
}

function pgliteVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** A data directory PGlite has not initialised yet (missing or without PG_VERSION). */
export function isEmptyDataDir(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'PG_VERSION'))
}

/** The template for the current migrations, if one was made. */
export function readTemplate(): Blob | undefined {
  try {
    return new Blob([fs.readFileSync(templateFile())])
  } catch {
    return undefined
  }
}

/**
 * Keeps a just-migrated, still empty database as the template (best effort: a read-only app
 * directory simply means the next empty start migrates too). Written to a temporary name and
 * renamed, so that a reader never sees half a file.
 */
export async function saveTemplate(pglite: PGlite): Promise<string | undefined> {
  try {
    const file = templateFile()
    if (fs.existsSync(file)) return undefined
    // The job queue's tables too (pg-boss makes its schema at its first start: a second of WebAssembly).
    const boss = new PgBoss({ db: fromPglite(pglite), backend: 'pglite' })
    await boss.start()
    await boss.stop({ graceful: false })
    const dump = await pglite.dumpDataDir('none')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
    fs.renameSync(tmp, file)
    return file
  } catch {
    return undefined
  }
}
