import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, swedishSortKey } from '../../src/web/format.ts'

describe('Swedish formats', () => {
  it('sorts names as a Swedish reader expects', () => {
    const names = ['Östra Göinge', 'Åre', 'Ale', 'Älvdalen', 'Ödeshög', 'Zinkgruvan', 'Örebro', 'Eslöv', 'Ängelholm', 'ale']
    const sorted = [...names].sort((a, b) => (swedishSortKey(a) < swedishSortKey(b) ? -1 : swedishSortKey(a) > swedishSortKey(b) ? 1 : 0))
    expect(sorted).toEqual(['Ale', 'ale', 'Eslöv', 'Zinkgruvan', 'Åre', 'Älvdalen', 'Ängelholm', 'Ödeshög', 'Örebro', 'Östra Göinge'])
  })

  it('ignores other accents: é sorts with e', () => {
    expect(swedishSortKey('Éric') < swedishSortKey('Erik')).toBe(true)
    expect(swedishSortKey('Élise') > swedishSortKey('Elin')).toBe(true)
    expect(swedishSortKey('Ésa')).toBe(swedishSortKey('esa'))
  })

  it('writes dates as YYYY-MM-DD in Swedish time', () => {
    expect(formatDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01')
    expect(formatDate('2026-03-05')).toBe('2026-03-05')
    expect(formatDateTime(new Date('2026-01-15T08:05:00Z'))).toBe('2026-01-15 09:05')
  })
})
