import { z } from 'zod'
import { isoDate, nullableText, requiredText, uuidList } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'

export const PROGRAMMES = ['equal', 'erf', 'amif', 'esf', 'national', 'nordic', 'other'] as const
/** A project's life, in order. */
export const STATUSES = ['planned', 'running', 'finished', 'cancelled'] as const

export type Programme = (typeof PROGRAMMES)[number]
export type ProjectStatus = (typeof STATUSES)[number]

const nullableDate = isoDate.nullish().transform((v) => v ?? null)

export const partner = z.strictObject({
  // Sent back by a client that read the project, so the partner row keeps its id.
  id: z.uuid().optional(),
  organisation_id: z.uuid(),
  role: nullableText(200),
})

export type PartnerInput = z.output<typeof partner>

/** An organisation is a partner once per project. */
const partners = z
  .array(partner)
  .max(200)
  .superRefine(
    (list, ctx) => {
      const seen = new Set<string>()
      list.forEach((p, i) => {
        if (!p?.organisation_id) return
        if (seen.has(p.organisation_id)) ctx.addIssue({ code: 'custom', path: [i, 'organisation_id'], message: 'project.duplicate_partner' })
        seen.add(p.organisation_id)
      })
    },
    // Also when another row is wrong, so that a form shows every problem at once.
    { when: (payload) => Array.isArray(payload.value) },
  )

const fields = {
  name: requiredText(300),
  programme: z.enum(PROGRAMMES).nullish().transform((v) => v ?? null),
  start_date: nullableDate,
  end_date: nullableDate,
  status: z.enum(STATUSES),
  lead_organisation_id: z.uuid().nullish().transform((v) => v ?? null),
  partners,
  theme_ids: uuidList,
  evaluation: nullableText(20_000),
  notes: nullableText(20_000),
}

const endNotBeforeStart = (v: { start_date?: string | null; end_date?: string | null }, ctx: z.RefinementCtx) => {
  if (v.start_date && v.end_date && v.end_date < v.start_date) {
    ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'project.end_before_start' })
  }
}

export const createProject = z
  .strictObject({
    ...fields,
    status: fields.status.default('running'),
    partners: partners.default([]),
    theme_ids: uuidList.default([]),
  })
  .superRefine(endNotBeforeStart)

/** Every field optional and without defaults: what a PATCH leaves out (the partners) stays as it is. */
export const updateProject = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type ProjectInput = z.output<typeof createProject>
export type ProjectPatch = Omit<z.output<typeof updateProject>, 'version'>

/** One partner row of the HTML form, as typed. */
export interface PartnerRow {
  id: string
  organisation_id: string
  role: string
}

export const EMPTY_PARTNER: PartnerRow = { id: '', organisation_id: '', role: '' }

type FormValues = Record<string, string | string[]>

/**
 * The partner rows of the form (`partners.<n>.<field>`), without the rows left blank. Error keys
 * count the rows kept, so the form is shown again with exactly these rows.
 */
export function partnerRowsFromForm(f: FormValues): PartnerRow[] {
  const rows = new Map<number, PartnerRow>()
  for (const [key, value] of Object.entries(f)) {
    const m = /^partners\.(\d{1,3})\.(id|organisation_id|role)$/.exec(key)
    if (!m) continue
    const n = Number(m[1])
    const row = rows.get(n) ?? { ...EMPTY_PARTNER }
    row[m[2] as keyof PartnerRow] = (textOf(value) ?? '').trim()
    rows.set(n, row)
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((r) => r.organisation_id || r.role)
}

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function projectFromForm(f: FormValues) {
  return {
    name: textOf(f.name) ?? '',
    programme: textOf(f.programme),
    start_date: textOf(f.start_date),
    end_date: textOf(f.end_date),
    status: textOf(f.status) ?? undefined,
    lead_organisation_id: textOf(f.lead_organisation_id),
    partners: partnerRowsFromForm(f).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      organisation_id: r.organisation_id || undefined,
      role: r.role || null,
    })),
    theme_ids: listOf(f.theme_ids),
    evaluation: textOf(f.evaluation),
    notes: textOf(f.notes),
  }
}
