import type { Context } from 'hono'
import { ValidationError } from './errors.ts'

/** Percent-decoding that refuses what is not UTF-8, instead of passing `%FF` on as text. */
function strictDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

/**
 * The request's query string, read strictly: a value holding NUL or bytes that are not UTF-8 is a
 * validation error naming its parameter (message key, translated by the error handler). Empty
 * values (an unset <select>) mean "no filter" and are left out, and so is `lang`, which belongs
 * to the language switch (src/web/i18n.ts), not to any list.
 */
export function queryOf(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const search = new URL(c.req.url).search.slice(1)
  for (const part of search.split('&')) {
    if (!part) continue
    const eq = part.indexOf('=')
    const key = strictDecode(eq < 0 ? part : part.slice(0, eq))
    const value = strictDecode(eq < 0 ? '' : part.slice(eq + 1))
    if (key === undefined || key.includes('\0')) throw new ValidationError({ _: 'validation.invalid_text' })
    if (value === undefined || value.includes('\0')) throw new ValidationError({ [key]: 'validation.invalid_text' })
    if (key === 'lang' || value === '') continue
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}
