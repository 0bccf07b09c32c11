import { stringify } from 'csv-stringify/sync'
import type { Context } from 'hono'
import { swedishExcel, wantsSwedishExcel } from './csv-excel.ts'
import { auditExport } from '../register/export-audit.ts'
import { queryOf } from './query.ts'

/**
 * UTF-8 with BOM and CRLF, so that Excel opens Swedish characters correctly. Every cell goes
 * through csvCell: lists joined first, then neutralised, so no export can carry a formula.
 */
export async function csvResponse(c: Context, filename: string, header: string[], rows: unknown[][], opts: { audited?: boolean } = {}): Promise<Response> {
  // Every file of the register is audited as an export (issue 11): who, which path, which
  // filters, how many rows — here, so that no export can be added without it. A caller that
  // audits with a better name for the list says so.
  if (!opts.audited) {
    const { format: _f, cursor: _c, limit: _l, lang: _g, ...filters } = queryOf(c)
    await auditExport(c, c.req.path, filters, rows.length)
  }
  const excel = wantsSwedishExcel(c)
  const table = excel ? swedishExcel(c.get('t'), filename, header, rows) : { header, rows }
  // A cell holding `;` is quoted as well as one holding `,`: Excel in a Swedish locale splits on `;`.
  const body = '\uFEFF' + stringify([table.header, ...table.rows].map((r) => r.map(csvCell)), { delimiter: excel ? ';' : ',', record_delimiter: '\r\n', quoted_match: /[;,]/ })
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${filename}"`)
  return c.body(body)
}

/** One cell as text. A leading = + - @ tab or CR makes a spreadsheet run a formula: it is neutralised (CSV injection). */
export function csvCell(v: unknown): string {
  if (v == null) return ''
  const s = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map((x) => (x == null ? '' : String(x))).join(', ') : String(v)
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}
