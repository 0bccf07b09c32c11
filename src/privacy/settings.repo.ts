import type { Executor } from '../db/write.ts'
import { audit, inTransaction, type Actor } from '../db/write.ts'
import { StaleVersionError } from '../web/errors.ts'

export interface RegisterSettings {
  purpose: string | null
  controller: string | null
  dpo_contact: string | null
  recipients: string | null
  source: string | null
  version: number
}

const EMPTY: RegisterSettings = { purpose: null, controller: null, dpo_contact: null, recipients: null, source: null, version: 0 }

/** What the admin has said about the register (purpose, controller, DPO); empty until then. */
export async function registerSettings(db: Executor): Promise<RegisterSettings> {
  const row = await db.selectFrom('register_settings').select(['purpose', 'controller', 'dpo_contact', 'recipients', 'source', 'version']).executeTakeFirst()
  return row ?? EMPTY
}

/** Saves the settings if `version` is still the stored one; audited like any record. */
export async function saveRegisterSettings(db: Executor, values: Omit<RegisterSettings, 'version'>, version: number, actor: Actor): Promise<RegisterSettings> {
  return inTransaction(db, async (tx) => {
    const before = await tx.selectFrom('register_settings').selectAll().forUpdate().executeTakeFirst()
    if ((before?.version ?? 0) !== version) throw new StaleVersionError(before)
    const row = before
      ? await tx.updateTable('register_settings').set({ ...values, version: version + 1, updated_at: new Date() }).returningAll().executeTakeFirstOrThrow()
      : await tx.insertInto('register_settings').values({ ...values, id: true }).returningAll().executeTakeFirstOrThrow()
    const changes: Record<string, [unknown, unknown]> = {}
    for (const k of Object.keys(values) as (keyof typeof values)[]) {
      if ((before?.[k] ?? null) !== values[k]) changes[k] = [before?.[k] ?? null, values[k]]
    }
    // The settings row has no uuid of its own: its audit rows share the nil id.
    if (Object.keys(changes).length) await audit(tx, actor, 'register_settings', '00000000-0000-0000-0000-000000000000', before ? 'update' : 'create', changes)
    return row
  })
}
