import { sql } from 'kysely'
import { oneWordExactArms, oneWordTiers, type ExactArms, type RankTiers, type ScoreNames } from '../register/search-filter.ts'

/**
 * A person's names as a search ranks them (the contacts list's box and the global search): the
 * surname first, as what is searched for most, the joined "first last" for a query of several words.
 */
const firstName = sql.ref<string | null>('first_name')
const joined = sql<string>`concat_ws(' ', first_name, last_name)`
export const CONTACT_NAMES: ScoreNames = {
  names: [sql.ref('last_name'), firstName],
  joined,
  codes: [sql.ref('email')],
  // A person's searched text starts with their first name, then the last (contacts.service.ts).
  leading: [joined, firstName],
}

/**
 * A one-word query's exact comparisons with a person's names (oneWordExactArms), each read in name
 * order from its index of live people (migrations/20261206T0530_exact_names_live.ts).
 */
export const contactExactArms = (q: string): ExactArms => oneWordExactArms(q, CONTACT_NAMES)

/**
 * A one-word query's rank in tiers (oneWordTiers): the names' and e-mail's prefixes read from
 * their text_pattern_ops indexes, the rest in the length index's order
 * (migrations/20261207T1100_search_walk_indexes.ts; the text included in it,
 * 20261207T1900_search_walk_text).
 */
export const contactTiers = (q: string): RankTiers | undefined => oneWordTiers('contacts', q, CONTACT_NAMES)
