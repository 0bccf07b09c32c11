import { hasRole } from '../auth/roles.ts'
import type { Role } from '../db/schema.ts'
import type { RoleMap } from './sign-in.config.ts'

/** The highest role any of `groups` maps to, else the `*` role, else null: no access. */
export function roleForGroups(map: RoleMap, groups: readonly string[]): Role | null {
  let best: Role | null = null
  for (const g of groups) {
    const role = map.groups.get(g)
    if (role && (!best || hasRole(role, best))) best = role
  }
  return best ?? map.fallback ?? null
}

/** A groups claim may be a list, one string, or missing. */
export function groupList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' ? [value] : []
}
