import { dataVersion, NAMED } from '../../src/db/data-version.ts'
import type { Executor } from '../../src/db/write.ts'

/**
 * Holds the layout of a view of the register's current state as another app instance would (its
 * claim, src/network/layout.ts), so that a view waiting for it is still being computed — a small
 * layout is otherwise done within milliseconds; `release` lets it go on.
 */
export async function holdLayout(db: Executor, at: string, types: string): Promise<{ release: () => Promise<unknown> }> {
  const claim = { view_key: `fa2:v2|${at}|${types}`, data_version: String(await dataVersion(db, NAMED)) }
  await db.insertInto('network_layout_claims').values(claim).execute()
  return { release: () => db.deleteFrom('network_layout_claims').where('view_key', '=', claim.view_key).where('data_version', '=', claim.data_version).execute() }
}
