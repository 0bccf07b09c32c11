import { stringify } from 'csv-stringify/sync'
import type { Context } from 'hono'

/** UTF-8 with BOM and CRLF, so that Excel opens Swedish characters correctly. */
export function csvResponse(c: Context, filename: string, header: string[], rows: unknown[][]): Response {
  const body = '\uFEFF' + stringify([header, ...rows.map((r) => r.map(cell))], { record_delimiter: '\r\n' })
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${filename}"`)
  return c.body(body)
}

function cell(v: unknown): string {
  if (v == null) return ''
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.join(', ')
  const s = String(v)
  // A leading = + - @ makes Excel run a formula: neutralise it (CSV injection).
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}
