import type { Context } from 'hono'
import { resolvePicks } from './pick.ts'

/** The submitted form as plain strings (files are not used by these forms). */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value
  return out
}

/** The submitted form keeping repeated fields (checkbox groups, multiple selects) as lists. */
export async function formValues(c: Context): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true })
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of Object.entries(body)) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key
    if (typeof value === 'string') out[name] = key.endsWith('[]') ? [value] : value
    else if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === 'string')
  }
  // A record picker's text decides its id (src/web/pick.ts).
  if (Object.keys(out).some((k) => k.includes('~'))) await resolvePicks(c, out)
  return out
}

/** A form value as a list: repeated fields, or one comma-separated field (tags). */
export function listOf(v: string | string[] | undefined, splitCommas = false): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v]
  return (splitCommas ? list.flatMap((x) => x.split(',')) : list).map((x) => x.trim()).filter(Boolean)
}

/** A form value as text, or null when blank. */
export function textOf(v: string | string[] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v
  return s && s.trim() ? s : null
}

/** A form value as an integer, or null when blank; non-numbers pass through for the schema to refuse. */
export function intOf(v: string | string[] | undefined): number | null | string {
  const s = textOf(v)
  if (s === null) return null
  return /^-?\d+$/.test(s.trim()) ? Number(s) : s
}
