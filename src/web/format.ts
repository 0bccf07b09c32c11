/** Dates as YYYY-MM-DD and times as YYYY-MM-DD HH:MM, in Swedish time, whatever the language. */
const dateFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short' })
const dateTimeFmt = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

export function formatDate(value: Date | string | null | undefined): string {
  if (value == null) return ''
  if (typeof value === 'string') return value.slice(0, 10)
  return dateFmt.format(value)
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (value == null) return ''
  return dateTimeFmt.format(typeof value === 'string' ? new Date(value) : value)
}

/**
 * A key that sorts names the Swedish way in plain byte order ("C" collation), on both engines:
 * case and accents ignored, but å, ä, ö are letters of their own after z.
 */
export function swedishSortKey(value: string): string {
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/[åäæöøü]/g, (ch) => ({ å: '\u{7b}', ä: '\u{7c}', æ: '\u{7c}', ö: '\u{7d}', ø: '\u{7d}', ü: 'y' })[ch] ?? ch)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
}
