import { z } from 'zod'
import { SEARCH_TYPES } from './sources.ts'

/**
 * `types` is a comma-separated list (`types=organisation,contact`), may be repeated (the
 * page's checkboxes), and means every type when absent or empty.
 */
export const searchQuery = z.object({
  q: z.string().trim().max(200).default(''),
  types: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean))
    .refine((list) => list.every((type) => SEARCH_TYPES.includes(type)), { message: 'validation.invalid_option' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export type SearchQueryInput = z.output<typeof searchQuery>

/** The query string as the schema wants it: single values as strings, repeated ones as lists. */
export function queryValues(all: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(all)) out[k] = v.length === 1 ? v[0]! : v
  return out
}
