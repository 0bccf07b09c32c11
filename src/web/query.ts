import type { Context } from 'hono'
import { ValidationError } from './errors.ts'
import { decodeFormStrictly } from './input-guard.ts'

/**
 * The request's query string, read strictly (decodeFormStrictly): a value holding NUL, a lone
 * surrogate or bytes that are not UTF-8 is a validation error naming its parameter (message key,
 * translated by the error handler). Empty values (an unset <select>) mean "no filter" and are
 * left out, and so is `lang`, which belongs to the language switch (src/web/i18n.ts), not to any
 * list.
 */
export function queryOf(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const { pairs, bad } = decodeFormStrictly(new URL(c.req.url).search.slice(1))
  if (bad !== null) throw new ValidationError({ [bad]: 'validation.invalid_text' })
  for (const [key, value] of pairs) {
    if (key === 'lang' || value === '') continue
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}
