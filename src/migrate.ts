import { loadConfig } from './config.ts'
import { connect } from './db/connect.ts'
import { migrateToLatest } from './db/migrate.ts'

/** `npm run migrate`: bring the configured database to the latest schema and exit. */
const handle = await connect(loadConfig())
try {
  const result = await migrateToLatest(handle.db)
  const ran = result.results ?? []
  for (const m of ran) console.log(`${m.status}: ${m.migrationName}`)
  if (ran.length === 0) console.log('The database is up to date.')
} finally {
  await handle.close()
}
