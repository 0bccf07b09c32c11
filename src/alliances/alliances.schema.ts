import { z } from 'zod'
import { isoDate, nullableText, requiredText, uuidList, website } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'
import { UNRESOLVED } from '../web/pick.ts'

/** The life of an alliance, in the order the board shows it. */
export const STATUSES = ['exploring', 'proposed', 'active', 'dormant', 'ended'] as const
export const ROLES = ['lead', 'partner', 'supporter'] as const
export const COMMITMENT_STATUSES = ['open', 'done', 'dropped'] as const

export type Status = (typeof STATUSES)[number]

const nullableDate = isoDate.nullish().transform((v) => v ?? null)
const endNotBeforeStart = (v: { start_date: string | null; end_date: string | null }, ctx: z.RefinementCtx) => {
  if (v.start_date && v.end_date && v.end_date < v.start_date) {
    ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'alliance.end_before_start' })
  }
}

export const member = z
  .strictObject({
    // Sent back by a client that read the alliance, so the member row keeps its id.
    id: z.uuid().optional(),
    organisation_id: z.uuid(),
    role: z.enum(ROLES),
    contact_id: z.uuid().nullish().transform((v) => v ?? null),
    start_date: nullableDate,
    end_date: nullableDate,
  })
  .superRefine(endNotBeforeStart)

export type MemberInput = z.output<typeof member>

const members = z
  .array(member)
  .max(200)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((m, i) => {
      if (seen.has(m.organisation_id)) ctx.addIssue({ code: 'custom', path: [i, 'organisation_id'], message: 'alliance.duplicate_member' })
      seen.add(m.organisation_id)
    })
  })

export const commitment = z.strictObject({
  id: z.uuid().optional(),
  organisation_id: z.uuid(),
  description: requiredText(2000),
  due_date: nullableDate,
  status: z.enum(COMMITMENT_STATUSES).default('open'),
})

export type CommitmentInput = z.output<typeof commitment>

const link = z
  .strictObject({
    label: nullableText(200),
    url: website.refine((v) => v !== null, { message: 'validation.required' }),
  })
  .transform((l) => ({ label: l.label ?? l.url!, url: l.url! }))

const fields = {
  name: requiredText(200),
  purpose: nullableText(5000),
  status: z.enum(STATUSES),
  start_date: nullableDate,
  end_date: nullableDate,
  review_date: nullableDate,
  next_step: nullableText(2000),
  links: z.array(link).max(50),
  members,
  commitments: z.array(commitment).max(500),
  theme_ids: uuidList,
  notes: nullableText(20_000),
  /** Write-only: why the status changed, kept in the status history. */
  status_reason: nullableText(1000),
}

export const createAlliance = z
  .strictObject({
    ...fields,
    status: fields.status.default('exploring'),
    links: fields.links.default([]),
    members: members.default([]),
    commitments: fields.commitments.default([]),
    theme_ids: uuidList.default([]),
  })
  .superRefine(endNotBeforeStart)

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateAlliance = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type AllianceInput = z.output<typeof createAlliance>
export type AlliancePatch = Omit<z.output<typeof updateAlliance>, 'version'>

export const statusChange = z.strictObject({
  status: z.enum(STATUSES),
  reason: nullableText(1000),
  version: z.number().int().positive(),
})

type FormValues = Record<string, string | string[]>

export interface MemberRow {
  id: string
  organisation_id: string
  role: string
  contact_id: string
  start_date: string
  end_date: string
}

export interface CommitmentRow {
  id: string
  organisation_id: string
  description: string
  due_date: string
  status: string
}

export interface LinkRow {
  label: string
  url: string
}

/**
 * Numbered rows of the form (`<prefix>.<n>.<field>`), in order, without the rows left blank.
 * Error keys count the rows kept, so the form is shown again with exactly these rows.
 */
function rowsFromForm<R extends object>(f: FormValues, prefix: string, empty: R, filled: (r: R) => boolean): R[] {
  const names = Object.keys(empty).join('|')
  const pattern = new RegExp(`^${prefix}\\.(\\d{1,3})\\.(${names})$`)
  const rows = new Map<number, R>()
  for (const [key, value] of Object.entries(f)) {
    const m = pattern.exec(key)
    if (!m) continue
    const n = Number(m[1])
    const row = rows.get(n) ?? { ...empty }
    ;(row as Record<string, string>)[m[2]!] = (textOf(value) ?? '').trim()
    rows.set(n, row)
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, r]) => r).filter(filled)
}

export const EMPTY_MEMBER: MemberRow = { id: '', organisation_id: '', role: 'partner', contact_id: '', start_date: '', end_date: '' }
export const EMPTY_COMMITMENT: CommitmentRow = { id: '', organisation_id: '', description: '', due_date: '', status: 'open' }
export const EMPTY_LINK: LinkRow = { label: '', url: '' }

// A role or status select always has a value: a row counts as filled by what the user typed or picked.
export const memberRowsFromForm = (f: FormValues) =>
  rowsFromForm(f, 'members', EMPTY_MEMBER, (r) => !!(r.organisation_id || r.contact_id || r.start_date || r.end_date))
export const commitmentRowsFromForm = (f: FormValues) =>
  rowsFromForm(f, 'commitments', EMPTY_COMMITMENT, (r) => !!(r.organisation_id || r.description || r.due_date))
export const linkRowsFromForm = (f: FormValues) => rowsFromForm(f, 'links', EMPTY_LINK, (r) => !!(r.label || r.url))

/**
 * A commitment made by a member added in the same form: its "who" is `@members.<n>`, the member row's
 * number, which becomes that row's organisation (none if the row names none).
 */
export function namedMembers(f: FormValues): FormValues {
  for (const [key, value] of Object.entries(f)) {
    if (!/^commitments\.\d{1,3}\.organisation_id$/.test(key) || typeof value !== 'string') continue
    const m = /^@members\.(\d{1,3})$/.exec(value.trim())
    if (!m) continue
    const org = textOf(f[`members.${m[1]}.organisation_id`]) ?? ''
    f[key] = org === UNRESOLVED ? '' : org.trim()
  }
  return f
}

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function allianceFromForm(f: FormValues) {
  return {
    name: textOf(f.name) ?? '',
    purpose: textOf(f.purpose),
    status: textOf(f.status) ?? undefined,
    start_date: textOf(f.start_date),
    end_date: textOf(f.end_date),
    review_date: textOf(f.review_date),
    next_step: textOf(f.next_step),
    links: linkRowsFromForm(f).map((r) => ({ label: r.label || null, url: r.url || null })),
    members: memberRowsFromForm(f).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      organisation_id: r.organisation_id || undefined,
      role: r.role || undefined,
      contact_id: r.contact_id || null,
      start_date: r.start_date || null,
      end_date: r.end_date || null,
    })),
    commitments: commitmentRowsFromForm(f).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      organisation_id: r.organisation_id || undefined,
      description: r.description,
      due_date: r.due_date || null,
      status: r.status || undefined,
    })),
    theme_ids: listOf(f.theme_ids),
    notes: textOf(f.notes),
    status_reason: textOf(f.status_reason),
  }
}
