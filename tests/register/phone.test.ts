import { describe, expect, it } from 'vitest'
import { formatPhone, normalisePhone } from '../../src/register/phone.ts'

describe('phone numbers', () => {
  it('shows a stored Swedish number as Swedes write it: area code, dash, groups', () => {
    expect(formatPhone('+46701740642')).toBe('070-174 06 42')
    expect(formatPhone('+46812345678')).toBe('08-123 456 78')
    expect(formatPhone('+4636123456')).toBe('036-12 34 56')
  })

  it('keeps the country code of a foreign number', () => {
    expect(formatPhone('+4790012345')).toBe('+47 90 01 23 45')
  })

  it('shows what it cannot read as it is, and nothing for no number', () => {
    expect(formatPhone('ring växeln')).toBe('ring växeln')
    expect(formatPhone(null)).toBe('')
  })

  it('reads back what it shows as the same stored number', () => {
    for (const stored of ['+46701740642', '+46812345678', '+4790012345']) expect(normalisePhone(formatPhone(stored))).toBe(stored)
  })
})
