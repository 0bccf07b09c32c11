import { z } from 'zod'
import { COUNTIES, normaliseCounty } from './counties.ts'
import { normaliseOrgNumber } from './org-number.ts'
import { normalisePhone } from './phone.ts'

/** Zod pieces shared by the register's resources. Messages that are catalogue keys are translated. */

export const nullableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null))

export const requiredText = (max: number) => z.string().trim().min(1).max(max)

export const score = z.number().int().min(1).max(5).nullish().transform((v) => v ?? null)

// No defaults here: a default inside .optional() would still fire, and a PATCH that leaves a
// list out would empty it. Create schemas add `.default([])` themselves.
export const tags = z
  .array(z.string().trim().min(1).max(50))
  .max(50)
  .transform((list) => [...new Set(list)])

export const uuidList = z.array(z.uuid()).max(200).transform((list) => [...new Set(list)])

export const county = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v || !v.trim()) return null
    const c = normaliseCounty(v)
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'validation.county' })
      return z.NEVER
    }
    return c
  })

export const orgNumber = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v || !v.trim()) return null
    const n = normaliseOrgNumber(v)
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'validation.org_number' })
      return z.NEVER
    }
    return n
  })

export const phone = z
  .string()
  .max(50)
  .nullish()
  .transform((v, ctx) => {
    if (!v || !v.trim()) return null
    const n = normalisePhone(v)
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'validation.phone' })
      return z.NEVER
    }
    return n
  })

export const website = z
  .string()
  .trim()
  .max(500)
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null
    const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`
    try {
      const url = new URL(withScheme)
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) return url.toString()
    } catch {
      // fall through
    }
    ctx.addIssue({ code: 'custom', message: 'validation.url' })
    return z.NEVER
  })

export const emailAddress = z
  .string()
  .trim()
  .max(254)
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null
    if (!z.email().safeParse(v).success) {
      ctx.addIssue({ code: 'custom', message: 'validation.email' })
      return z.NEVER
    }
    return v.toLowerCase()
  })

export const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'validation.country')
  .transform((v) => v.toUpperCase())

// PostgreSQL has no year 0 and JavaScript dates drift before year 1000: a day outside
// 1000–9999 is a typo or a crafted value, never a date of this register.
export const MIN_YEAR = 1000
export const isoDate = z.iso
  .date()
  .refine((d) => Number(d.slice(0, 4)) >= MIN_YEAR, { message: 'validation.date' })

export { COUNTIES }
