import { sql } from 'kysely'
import type { ScoreNames } from '../register/search-filter.ts'

/**
 * An organisation's names as a search ranks them (textScore): its name and short name, its
 * organisation number as a code; its searched text starts with its name (organisations.service.ts).
 */
const name = sql.ref<string | null>('name')
export const ORGANISATION_NAMES: ScoreNames = { names: [name, sql.ref('short_name')], codes: [sql.ref('org_number')], leading: [name] }
