/**
 * The register's shared vocabulary: words and lookups that several features use, kept here so
 * that no feature imports another feature's repo for them (tests/web/features.test.ts checks).
 * Counties are in ./counties.ts, periods in ./period.ts.
 */
import type { RelationshipType } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { formatDate } from '../web/format.ts'

/** Today in Sweden, as YYYY-MM-DD: the day that decides whether an affiliation, a seat or a link is current. */
export function today(): string {
  return formatDate(new Date())
}

/** How one organisation relates to another (organisation_relationships.type). */
export const RELATIONSHIP_TYPES = ['funds', 'reports_to', 'partner_of', 'member_of', 'advises'] as const satisfies readonly RelationshipType[]

/** Every kind of link the network draws: the dated ones of src/network/edges-at.ts, the derived ones, and the relationships. */
export const EDGE_TYPES = [
  'affiliation', 'body_seat', 'body_representation', 'parent', 'alliance_member', 'project_partner', 'co_participation', 'theme',
  ...RELATIONSHIP_TYPES,
] as const
export type EdgeType = (typeof EDGE_TYPES)[number]

/** Organisations' names by id (deleted ones too: an old link still names its organisation). */
export async function organisationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Live themes' names by id. */
export async function themeNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('themes').select(['id', 'name']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
