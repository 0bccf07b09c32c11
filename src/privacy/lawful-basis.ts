import type { Config } from '../config.ts'
import type { Translate } from '../web/i18n.ts'

export const isAuthority = (config: Config) => (config.controllerKind ?? 'authority') === 'authority'

/**
 * An authority cannot rely on legitimate interest for its tasks (GDPR art. 6.1, last
 * paragraph): the choice is allowed (a task outside the public mandate may need it) but warned about.
 */
export function lawfulBasisWarnings(config: Config, basis: string | null | undefined, t: Translate) {
  if (basis !== 'legitimate_interest' || !isAuthority(config)) return []
  return [{ field: 'lawful_basis', code: 'legitimate_interest_for_authority', message: t('privacy.legitimate_interest_warning') }]
}
