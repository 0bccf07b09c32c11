/**
 * `npm run restore -- FILE`: loads a backup made by `npm run backup` into the configured
 * database, which must be empty: a new DATA_DIR, or a new PostgreSQL database (DATABASE_URL).
 * Either engine restores a backup of either. Everyone has to log in again afterwards.
 */
import { ConfigError, loadConfig } from '../src/config.ts'
import { connect } from '../src/db/connect.ts'
import { DataDirInUseError } from '../src/db/data-dir-lock.ts'
import { BackupError, formatSummary, resolveFromCaller, restoreDatabase } from './backup-format.ts'
import { erasureLogPath } from '../src/privacy/erasure-log.ts'
import { replayErasureLog } from '../src/privacy/erasure-replay.ts'

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

const arg = process.argv[2]
if (!arg || arg === '-h' || arg === '--help' || process.argv.length > 3) {
  fail('Usage: npm run restore -- FILE   (into an empty database: a new DATA_DIR, or an empty DATABASE_URL)', arg === '-h' || arg === '--help' ? 0 : 2)
}
const file = resolveFromCaller(arg)

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) fail(err.message)
  throw err
}

let handle
try {
  handle = await connect(config)
} catch (err) {
  if (err instanceof DataDirInUseError) fail(`${err.message}\nA restore needs the server stopped.`)
  throw err
}

try {
  const started = performance.now()
  const summary = await restoreDatabase(handle.db, file)
  // Erasures made after the backup was taken are applied again (ids from ERASURE_LOG).
  const log = erasureLogPath(config)
  const replayed = await replayErasureLog(handle.db, log)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const upgraded = summary.migratedAfterLoad.length > 0 ? `\nThen migrated to this version: ${summary.migratedAfterLoad.join(', ')}.` : ''
  console.log(
    `Restored ${summary.rows} rows into ${summary.tables.length} tables (${handle.engine}) from ${summary.file} in ${seconds} s.\n` +
      `${formatSummary(summary.tables)}${upgraded}\n` +
      'Sessions are not part of a backup: everyone logs in again.\n' +
      `Erasure log ${log}: ${replayed.anonymised} erasures and ${replayed.restricted + replayed.unrestricted} restrictions re-applied.`,
  )
} catch (err) {
  await handle.close()
  if (err instanceof BackupError) fail(`Restore refused: ${err.message}`)
  throw err
}
await handle.close()
