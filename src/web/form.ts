import type { Context } from 'hono'

/** The submitted form as plain strings (files and repeated fields are not used by these forms). */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value
  return out
}
