/**
 * `npm run backup -- FILE`: a consistent backup of the configured database (DATABASE_URL, or
 * the embedded one in DATA_DIR) to FILE; gzip-compressed when FILE ends in `.gz`.
 * See scripts/backup-format.ts for the format; `npm run restore -- FILE` loads it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ConfigError, loadConfig } from '../src/config.ts'
import { connect } from '../src/db/connect.ts'
import { DataDirInUseError } from '../src/db/data-dir-lock.ts'
import { backupDatabase, BackupError, formatSummary, resolveFromCaller } from './backup-format.ts'

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

const arg = process.argv[2]
if (!arg || arg === '-h' || arg === '--help' || process.argv.length > 3) {
  fail('Usage: npm run backup -- FILE   (FILE ending in .gz is compressed)', arg === '-h' || arg === '--help' ? 0 : 2)
}
const file = resolveFromCaller(arg)

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) fail(err.message)
  throw err
}

if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
  fail(
    `There is no embedded database in DATA_DIR=${path.resolve(config.dataDir)}: nothing to back up. ` +
      'Set DATA_DIR to the server\'s data directory, or DATABASE_URL to its PostgreSQL database.',
  )
}

let handle
try {
  handle = await connect(config)
} catch (err) {
  if (err instanceof DataDirInUseError) {
    fail(
      `${err.message}\nThe embedded database can be used by one process at a time, so a backup needs the server ` +
        'stopped (a backup of a few thousand records takes seconds). To back up while serving, run Navet on PostgreSQL (DATABASE_URL).',
    )
  }
  throw err
}

try {
  const started = performance.now()
  const summary = await backupDatabase(handle.db, file)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `Backed up ${summary.rows} rows from ${summary.tables.length} tables (${handle.engine}, schema ` +
      `${summary.migrations[summary.migrations.length - 1]}) to ${summary.file}: ${summary.bytes} bytes in ${seconds} s.\n` +
      `${formatSummary(summary.tables)}\n` +
      'Sessions and rate-limit counters are not included. The file holds personal data and password hashes: keep it safe.',
  )
} catch (err) {
  if (err instanceof BackupError) {
    await handle.close()
    fail(`Backup failed: ${err.message}`)
  }
  await handle.close()
  throw err
}
await handle.close()
