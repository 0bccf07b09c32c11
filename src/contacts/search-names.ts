import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { oneWordExactArms, type ExactArms, type ScoreNames } from '../register/search-filter.ts'

/**
 * A person's names as a search ranks them (the contacts list's box and the global search): the
 * surname first, as what is searched for most, the joined "first last" for a query of several words.
 */
export const CONTACT_NAMES: ScoreNames = {
  names: [sql.ref('last_name'), sql.ref('first_name')],
  joined: sql`concat_ws(' ', first_name, last_name)`,
  codes: [sql.ref('email')],
}

/**
 * A one-word query's exact comparisons with a person's names (oneWordExactArms), each with the
 * conditions of its index (migrations/20261206T0200_exact_names.ts) so that it is read from there
 * in name order. Among live people they keep everyone: a merged person is deleted, an erased one
 * has no name or e-mail address left to match.
 */
export function contactExactArms(q: string): ExactArms {
  const { names, codes } = oneWordExactArms(q, CONTACT_NAMES)
  const indexed = (arm: RawBuilder<SqlBool>) => sql<SqlBool>`merged_into_id is null and erased_at is null and ${arm}`
  return { names: names.map(indexed), codes: codes.map(indexed) }
}
