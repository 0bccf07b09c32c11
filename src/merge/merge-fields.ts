import type { MergeEntity } from './links.ts'

/** The fields chosen one by one, and the lists that are joined (nothing in either is lost). */
export const MERGE_FIELDS = {
  organisations: {
    choose: ['name', 'short_name', 'kind', 'org_number', 'county', 'country', 'website', 'parent_id', 'influence', 'interest', 'notes'],
    join: ['tags', 'theme_ids'],
  },
  contacts: {
    choose: ['first_name', 'last_name', 'email', 'phone', 'title', 'county', 'language', 'influence', 'interest', 'notes'],
    join: ['categories', 'tags', 'theme_ids'],
  },
} as const satisfies Record<MergeEntity, { choose: readonly string[]; join: readonly string[] }>

export type Side = 'this' | 'other'
type Row = Record<string, unknown> & { updated_at: Date }

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)

/** Per field: the value that is there when only one has one, else the more recently changed record's. */
export function defaultSides(entity: MergeEntity, self: Row, other: Row): Record<string, Side> {
  const otherIsNewer = other.updated_at.getTime() > self.updated_at.getTime()
  const sides: Record<string, Side> = {}
  for (const f of MERGE_FIELDS[entity].choose) {
    const [a, b] = [self[f], other[f]]
    sides[f] = empty(a) && !empty(b) ? 'other' : !empty(a) && !empty(b) && a !== b && otherIsNewer ? 'other' : 'this'
  }
  return sides
}

/** The survivor's values: each chosen field from its side, each list the union of both. */
export function mergedValues(entity: MergeEntity, self: Row, other: Row, sides: Record<string, Side>): Record<string, unknown> {
  const defaults = defaultSides(entity, self, other)
  const out: Record<string, unknown> = {}
  for (const f of MERGE_FIELDS[entity].choose) out[f] = (sides[f] ?? defaults[f]) === 'other' ? other[f] : self[f]
  for (const f of MERGE_FIELDS[entity].join) out[f] = [...new Set([...(self[f] as string[]), ...(other[f] as string[])])]
  return out
}
