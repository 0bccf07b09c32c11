import type { Context } from 'hono'
import { isMessageKey, type Translate } from './i18n.ts'

/**
 * Swedish Excel reads `;`-separated files with decimal commas, and a person reads labels, not
 * codes. Asked for with `?lang=sv` on any CSV export; without it the export stays the portable
 * one (comma, codes, field names) that scripts and the API contract rely on.
 */
export function wantsSwedishExcel(c: Context): boolean {
  return c.get('langAsked') === 'sv'
}

// The message prefix each export's own field and value labels use (`org.kind`, `activity.type.seminar`).
const PREFIX: Record<string, string> = {
  organisations: 'org', contacts: 'contact', activities: 'activity', alliances: 'alliance', plans: 'plan',
  projects: 'project', products: 'product', bodies: 'body', themes: 'theme', interactions: 'interaction',
}

const first = (keys: string[]): string | undefined => keys.find((k) => isMessageKey(k))

/** The labelled header, and each record's values as a Swedish spreadsheet reads them (one record at a time: exports stream). */
export function swedishExcel(t: Translate, filename: string, header: string[]): { header: string[]; row: (r: unknown[]) => unknown[] } {
  const prefix = PREFIX[filename.replace(/\.csv$/, '')] ?? ''
  const label = (column: string) => {
    const key = first([`${prefix}.${column}`, `import.f.${column}`, `merge.f.${column}`])
    return key ? t(key as never) : column
  }
  const value = (column: string, v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => value(column, x))
    if (typeof v === 'number' && !Number.isInteger(v)) return String(v).replace('.', ',')
    if (typeof v === 'boolean') return t(v ? 'csv.yes' : 'csv.no')
    if (typeof v !== 'string' || !/^[a-z][a-z_]*$/.test(v)) return v
    const key = first([`${prefix}.${column}.${v}`, `${column}.${v}`, `${prefix}.status.${v}`])
    return key ? t(key as never) : v
  }
  return { header: header.map(label), row: (r) => r.map((v, i) => value(header[i] ?? '', v)) }
}
