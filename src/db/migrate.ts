import { Migrator, type MigrationResultSet } from 'kysely/migration'
import { migrations } from '../../migrations/index.ts'
import type { Db } from './connect.ts'

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  // Features land in parallel branches: a migration with an older timestamp may arrive after a
  // newer one has run somewhere. Run it then rather than refusing to start.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
