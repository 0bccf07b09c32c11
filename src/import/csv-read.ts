import { parse as parseStream } from 'csv-parse'
import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'

export class CsvReadError extends Error {}

/** Bytes that are not text: NUL (or another control character) where no encoding puts one. */
export class NotTextError extends CsvReadError {}

// Any C0 control but tab, line feed and carriage return: no spreadsheet writes them in a CSV.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/

/**
 * Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the machine's code page —
 * Windows-1252 on a Swedish Windows — and "Unicode text" as UTF-16 with a byte-order mark
 * (tab-separated). UTF-16 is told by its mark; without one its NUL bytes make it "not text".
 * A file that is valid UTF-8 is taken as UTF-8; anything else as Windows-1252, which can
 * decode every byte. Text holding control characters is refused (the database cannot store
 * NUL, and nothing good comes of the others).
 */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      text = iconv.decode(Buffer.from(bytes), 'win1252')
    }
  }
  if (CONTROL.test(text)) throw new NotTextError()
  return text
}

export type Delimiter = ',' | ';' | '\t'
const DELIMITERS: Delimiter[] = [';', ',', '\t']

/** Swedish Excel writes `;` (the comma is the decimal sign); others `,`. Decided by the header line. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]))
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1)
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1])
  return best && best[1] > 0 ? best[0] : ','
}

export interface CsvRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  line: number
  cells: string[]
}

export interface CsvTable {
  headers: string[]
  rows: CsvRow[]
}

const OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true } as const

/** Header and data rows; rows with nothing in them (Excel's trailing `;;;;`) are left out. */
export function readCsv(text: string, delimiter: Delimiter): CsvTable {
  let records: string[][]
  try {
    records = parse(text, { delimiter, ...OPTIONS })
  } catch (err) {
    throw new CsvReadError((err as Error).message)
  }
  return tableOf(records)
}

const CHUNK = 256 * 1024

/**
 * readCsv for a large file without holding up everyone else: parsing 11 MB at once keeps the
 * event loop (and so every other request) waiting for seconds; fed in 256 KB pieces, with a turn
 * for others between them, it never does for long.
 */
export async function readCsvInTurns(text: string, delimiter: Delimiter): Promise<CsvTable> {
  if (text.length <= CHUNK) return readCsv(text, delimiter)
  const parser = parseStream({ delimiter, ...OPTIONS })
  const records: string[][] = []
  let failure: Error | undefined
  parser.on('readable', () => {
    for (let r: string[] | null; (r = parser.read() as string[] | null) !== null; ) records.push(r)
  })
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve)
    parser.on('error', (err) => {
      failure = err
      resolve()
    })
  })
  for (let start = 0; start < text.length && !failure; ) {
    let end = Math.min(start + CHUNK, text.length)
    // Never between the two halves of a surrogate pair (an emoji): each piece is encoded alone.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--
    parser.write(text.slice(start, end))
    start = end
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (!failure) parser.end()
  await ended
  if (failure) throw new CsvReadError(failure.message)
  return tableOf(records)
}

function tableOf(records: string[][]): CsvTable {
  const [header, ...data] = records
  const headers = (header ?? []).map((h) => h.trim())
  if (!headers.some(Boolean)) throw new CsvReadError('no header row')
  const rows: CsvRow[] = []
  data.forEach((cells, i) => {
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: i + 2, cells: cells.map((c) => c.trim()) })
  })
  return { headers, rows }
}
