import { coreEn } from './core.en.ts'
import { coreSv, type CoreKey } from './core.sv.ts'

/**
 * Every message key the app knows. The core's keys are here; each feature adds its own in its
 * `*.messages.ts` by augmenting this interface, and its texts arrive through its feature module
 * (`registerMessages`), so web/ imports no feature:
 *
 *     type OwnKeys = keyof typeof sv   // outside the block: inside it, `sv` would be this file's
 *     declare module '../web/i18n/catalogue.ts' {
 *       interface Catalogue extends Record<OwnKeys, string> {}
 *     }
 */
export interface Catalogue extends Record<CoreKey, string> {}

export type MessageKey = keyof Catalogue & string

export interface Messages {
  sv: Record<string, string>
  en: Record<string, string>
}

/** The texts by language; filled in as features plug in (the same objects throughout). */
export const sv: Record<string, string> = { ...coreSv }
export const en: Record<string, string> = { ...coreEn }

const registered = new Map<string, Messages>()

/** Adds a feature's texts. A key that another feature already uses is a mistake caught at start. */
export function registerMessages(owner: string, messages: Messages): void {
  if (registered.get(owner) === messages) return
  for (const key of Object.keys(messages.sv)) {
    if (key in sv && registered.get(owner) === undefined) throw new Error(`Message key ${key} of ${owner} is already taken`)
  }
  registered.set(owner, messages)
  Object.assign(sv, messages.sv)
  Object.assign(en, messages.en)
}
