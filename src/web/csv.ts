import type { Context } from 'hono'
import { ClientGoneError, outlivesRequest } from '../db/client-gone.ts'
import { swedishExcel, wantsSwedishExcel } from './csv-excel.ts'
import { auditExport } from '../register/export-audit.ts'
import { queryOf } from './query.ts'

/** Rows read from the database per chunk of a streamed CSV export. */
export const CSV_CHUNK_ROWS = 1000

/** Records of a CSV file: all at hand, or read in chunks from the database (streamed, memory flat in the row count). */
export type CsvRows = unknown[][] | AsyncIterable<unknown[][]>

export interface CsvOptions {
  /** The caller audited the export itself. */
  audited?: boolean
  /** Audit under this list name and these filters (the request's path and query otherwise). */
  audit?: { list: string; filters: Record<string, unknown> }
}

/**
 * UTF-8 with BOM and CRLF, so that Excel opens Swedish characters correctly. Every cell goes
 * through csvCell: lists joined first, then neutralised, so no export can carry a formula.
 *
 * Rows given as chunks are streamed: each chunk is written to the response as it is read, so an
 * export of 200 000 rows holds one chunk in memory, not the file. The export is audited when its
 * last chunk has been read (with the number of rows that left), before the response ends — also
 * when the reader goes away or a read fails half-way, with the rows sent until then.
 */
export async function csvResponse(c: Context, filename: string, header: string[], rows: CsvRows, opts: CsvOptions = {}): Promise<Response> {
  // Every file of the register is audited as an export (issue 11): who, which path, which
  // filters, how many rows — here, so that no export can be added without it. A caller that
  // audits with a better name for the list says so.
  const auditAs = opts.audited ? undefined : (opts.audit ?? defaultAudit(c))
  const excel = wantsSwedishExcel(c)
  const shape = excel ? swedishExcel(c.get('t'), filename, header) : { header, row: (r: unknown[]) => r }
  const text = (records: unknown[][]) => csvText(records, excel ? ';' : ',')
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${filename}"`)
  if (Array.isArray(rows)) {
    if (auditAs) await auditExport(c, auditAs.list, auditAs.filters, rows.length)
    return c.body('\uFEFF' + text([shape.header, ...rows.map(shape.row)]))
  }
  const chunks = rows[Symbol.asyncIterator]()
  const encoder = new TextEncoder()
  let sent = 0
  let audited = false
  // What was sent is audited even when the client went away halfway (src/db/client-gone.ts).
  const finish = async () => {
    if (audited) return
    audited = true
    if (auditAs) await outlivesRequest(() => auditExport(c, auditAs.list, auditAs.filters, sent))
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('\uFEFF' + text([shape.header])))
    },
    async pull(controller) {
      try {
        // An empty chunk is read past: a pull that enqueues nothing is not called again.
        for (;;) {
          const next = await chunks.next()
          if (next.done) {
            await finish()
            controller.close()
            return
          }
          if (!next.value.length) continue
          controller.enqueue(encoder.encode(text(next.value.map(shape.row))))
          sent += next.value.length
          return
        }
      } catch (err) {
        await finish().catch(() => {})
        // Nobody is reading any more: end quietly rather than as a failed response.
        if (err instanceof ClientGoneError) return controller.close()
        throw err
      }
    },
    async cancel() {
      await chunks.return?.()
      await finish()
    },
  })
  return c.body(body)
}

function defaultAudit(c: Context): { list: string; filters: Record<string, unknown> } {
  const { format: _f, cursor: _c, limit: _l, lang: _g, ...filters } = queryOf(c)
  return { list: c.req.path, filters }
}

// Quoted: a cell holding a quote, a line break (CR or LF, alone or together), or `,` or `;` —
// either delimiter, whichever the file uses (Excel in a Swedish locale splits on `;`). csv-stringify,
// which made these files before, quoted only a CRLF with record_delimiter CRLF: a note written with
// a bare LF broke its row in two in Excel and in every CSV reader. Otherwise csv-stringify's rules
// with quoted_match /[;,\r\n]/ (tests/web/csv-text.test.ts holds the two together).
const QUOTED = /[;,"\r\n]/

/**
 * Records as CSV text, each cell through csvCell, each record ending in CRLF (so chunks written
 * one after another make the same file as one write). Written by hand: csv-stringify's per-cell
 * option handling was a fifth of an export's time (issue 15).
 */
export function csvText(records: readonly (readonly unknown[])[], delimiter: ',' | ';'): string {
  let out = ''
  for (const record of records) {
    for (let i = 0; i < record.length; i++) {
      const s = csvCell(record[i])
      if (i > 0) out += delimiter
      out += QUOTED.test(s) ? `"${s.replaceAll('"', '""')}"` : s
    }
    out += '\r\n'
  }
  return out
}

/** One cell as text. A leading = + - @ tab or CR makes a spreadsheet run a formula: it is neutralised (CSV injection). */
export function csvCell(v: unknown): string {
  if (v == null) return ''
  const s = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map((x) => (x == null ? '' : String(x))).join(', ') : String(v)
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}
