import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, nameThenId } from '../../src/db/pagination.ts'
import { emailAddress, isoDate, orgNumber, phone } from '../../src/register/fields.ts'
import { ValidationError } from '../../src/web/errors.ts'
import { badFormField, badTextField, isStorableText } from '../../src/web/input-guard.ts'

const runs = { numRuns: 300 }

describe('validators, for any input', () => {
  it('text: storable exactly when it has no NUL and no lone surrogate, and a bad field is named', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const hasNul = s.includes('\u0000')
      const wellFormed = (() => { try { encodeURIComponent(s); return true } catch { return false } })()
      expect(isStorableText(s)).toBe(!hasNul && wellFormed)
      expect(badTextField({ a: { b: [s] } })).toBe(isStorableText(s) ? null : 'a.b.0')
    }), runs)
  })

  it('forms and query strings: what encodeURIComponent made is read back unless it is unstorable; stray % is refused', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(badFormField(`f=${encodeURIComponent(s)}`)).toBe(isStorableText(s) ? null : 'f')
    }), runs)
    fc.assert(fc.property(fc.integer({ min: 0x80, max: 0xff }), (byte) => {
      expect(badFormField(`f=%${byte.toString(16)}`)).toBe('f')
    }))
  })

  it('dates: accepted only as real days of the years 1000–9999, and never throws', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
      const day = d.toISOString().slice(0, 10)
      expect(isoDate.safeParse(day).success).toBe(d.getUTCFullYear() >= 1000)
    }), runs)
    fc.assert(fc.property(fc.string(), (s) => {
      const r = isoDate.safeParse(s)
      if (r.success) expect(new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10)).toBe(s)
    }), runs)
  })

  it('e-mail, phone and organisation number: never throw, and what they accept is normalised and accepted again', () => {
    for (const schema of [emailAddress, phone, orgNumber]) {
      fc.assert(fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.stringMatching(/^[0-9 +()-]{6,16}$/), fc.anything()), (v) => {
        const r = schema.safeParse(v)
        if (r.success && typeof r.data === 'string') expect(schema.safeParse(r.data)).toMatchObject({ success: true, data: r.data })
      }), runs)
    }
  })

  it('cursors: ours read back as they were; anything else is a validation error naming cursor, never another error', () => {
    const ks = nameThenId() as unknown as Parameters<typeof decodeCursor>[1]
    fc.assert(fc.property(fc.string().filter(isStorableText), fc.uuid(), (name, id) => {
      expect(decodeCursor(encodeCursor([name, id]), ks)).toEqual([name, id])
    }), runs)
    fc.assert(fc.property(fc.oneof(fc.string(), fc.base64String(), fc.json().map((j) => Buffer.from(j).toString('base64url'))), (s) => {
      try {
        decodeCursor(s, ks)
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError)
        expect(Object.keys((err as ValidationError).fields)).toEqual(['cursor'])
      }
    }), runs)
  })
})
