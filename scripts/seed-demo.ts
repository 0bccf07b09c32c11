/**
 * `npm run seed:demo`: loads the demo network (real public bodies, fictional people) into the
 * configured database, migrating it first. Running it again adds nothing that is already there.
 * The audit log names no user ("system"); open follow-ups go to the oldest active admin, if any.
 */
import { ConfigError, loadConfig } from '../src/config.ts'
import { connect } from '../src/db/connect.ts'
import { DataDirInUseError } from '../src/db/data-dir-lock.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { seedDemo } from '../src/seed/demo-seed.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

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
  if (err instanceof DataDirInUseError) {
    fail(`${err.message}\nStop the server first: the embedded database can be used by one process at a time.`)
  }
  throw err
}

try {
  await migrateToLatest(handle.db)
  const admin = await handle.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst()
  const result = await seedDemo(handle.db, { actor: { userId: null }, assigneeId: admin?.id ?? null, log: (m) => console.log(m) })
  const total = Object.values(result.created).reduce((sum, n) => sum + n, 0)
  console.log(
    total === 0
      ? 'The demo network is already loaded: nothing new was created.'
      : `Demo network loaded in ${(result.ms / 1000).toFixed(1)} s (${handle.engine}).`,
  )
} finally {
  await handle.close()
}
