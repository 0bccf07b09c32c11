import { z } from 'zod'
import { isoDate, nullableText, requiredText } from '../register/fields.ts'
import { periodsOverlap } from '../register/period.ts'
import { textOf } from '../web/form.ts'

export const BODY_KINDS = [
  'steering_group', 'reference_group', 'network', 'working_group', 'thematic_group', 'contact_points', 'other',
] as const

export const SEAT_ROLES = ['chair', 'vice_chair', 'member', 'deputy', 'secretary', 'observer'] as const

const nullableDate = isoDate.nullish().transform((v) => v ?? null)

export const seat = z
  .strictObject({
    // Sent back by a client that read the body, so the seat keeps its id.
    id: z.uuid().optional(),
    contact_id: z.uuid(),
    organisation_id: z.uuid().nullish().transform((v) => v ?? null),
    role: z.enum(SEAT_ROLES).nullish().transform((v) => v ?? 'member'),
    start_date: nullableDate,
    end_date: nullableDate,
  })
  .superRefine((s, ctx) => {
    if (s.start_date && s.end_date && s.end_date < s.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'body.end_before_start' })
    }
  })

export type SeatInput = z.output<typeof seat>

/** The same person cannot hold two seats in one body on the same day. */
const seats = z
  .array(seat)
  .max(300)
  .superRefine(
    (list, ctx) => {
      list.forEach((b, j) => {
        if (!b?.contact_id) return
        const i = list.slice(0, j).findIndex((a) => a?.contact_id === b.contact_id && periodsOverlap(a, b))
        if (i >= 0) ctx.addIssue({ code: 'custom', path: [j, 'contact_id'], message: 'body.seat_overlap' })
      })
    },
    // Also when another row is wrong, so that a form shows every problem at once.
    { when: (payload) => Array.isArray(payload.value) },
  )

const fields = {
  name: requiredText(200),
  kind: z.enum(BODY_KINDS),
  description: nullableText(5000),
  seats,
}

export const createBody = z.strictObject({ ...fields, seats: seats.default([]) })

/** Every field optional and without defaults: what a PATCH leaves out (the seats) stays as it is. */
export const updateBody = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type BodyInput = z.output<typeof createBody>

/** One seat row of the HTML form, as typed. */
export interface SeatRow {
  id: string
  contact_id: string
  organisation_id: string
  role: string
  start_date: string
  end_date: string
}

type FormValues = Record<string, string | string[]>

/**
 * The seat rows of the form (`seats.<n>.<field>`), without the rows left blank (the role alone
 * does not count: its select always has a value). Error keys count the rows kept, so the form is
 * shown again with exactly these rows.
 */
export function seatRowsFromForm(f: FormValues): SeatRow[] {
  const rows = new Map<number, SeatRow>()
  for (const [key, value] of Object.entries(f)) {
    const m = /^seats\.(\d{1,3})\.(id|contact_id|organisation_id|role|start_date|end_date)$/.exec(key)
    if (!m) continue
    const n = Number(m[1])
    const row = rows.get(n) ?? { id: '', contact_id: '', organisation_id: '', role: '', start_date: '', end_date: '' }
    row[m[2] as 'id'] = (textOf(value) ?? '').trim()
    rows.set(n, row)
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((r) => r.contact_id || r.organisation_id || r.start_date || r.end_date)
}

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function bodyFromForm(f: FormValues) {
  return {
    name: textOf(f.name) ?? '',
    kind: textOf(f.kind) ?? undefined,
    description: textOf(f.description),
    seats: seatRowsFromForm(f).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      contact_id: r.contact_id || undefined,
      organisation_id: r.organisation_id || null,
      role: r.role || null,
      start_date: r.start_date || null,
      end_date: r.end_date || null,
    })),
  }
}
