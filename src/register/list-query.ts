import { z } from 'zod'

/** A query-string value that may be repeated ("any of") or comma-free single. */
export const manyOf = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

/** The search box of a list (`q`). */
export const searchQuery = z.string().trim().max(200).optional()

/** One word of a text filter (a tag). */
export const filterText = (max: number) => z.string().trim().min(1).max(max)

export const listBase = {
  q: searchQuery,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
  format: z.enum(['json', 'csv']).optional(),
}

/**
 * Empty query-string values (an unset <select>) mean "no filter"; `lang` belongs to the language
 * switch (src/web/i18n.ts), not to any list.
 */
export function dropEmpty(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(query)) {
    if (k === 'lang') continue
    if (Array.isArray(v)) {
      const kept = v.filter((x) => x !== '')
      if (kept.length) out[k] = kept.length === 1 ? kept[0]! : kept
    } else if (v !== '') out[k] = v
  }
  return out
}

export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`
}
