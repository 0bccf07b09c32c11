import { z } from 'zod'
import { county, emailAddress, isoDate, nullableText, phone, score, tags, uuidList } from '../register/fields.ts'
import { intOf, listOf, textOf } from '../web/form.ts'

export const LAWFUL_BASES = ['public_task', 'consent', 'legitimate_interest', 'contract', 'legal_obligation'] as const

export const CATEGORIES = [
  'practitioner', 'decision_maker', 'recipient', 'stakeholder', 'researcher', 'media', 'official', 'other',
] as const

const nullableDate = isoDate.nullish().transform((v) => v ?? null)

export const affiliation = z
  .strictObject({
    // Sent back by a client that read the contact, so the affiliation keeps its id.
    id: z.uuid().optional(),
    organisation_id: z.uuid(),
    role: nullableText(200),
    start_date: nullableDate,
    end_date: nullableDate,
    primary: z.boolean().nullish().transform((v) => v ?? false),
  })
  .superRefine((a, ctx) => {
    if (a.start_date && a.end_date && a.end_date < a.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'contact.end_before_start' })
    }
  })

export type AffiliationInput = z.output<typeof affiliation>

const affiliations = z
  .array(affiliation)
  .max(100)
  .superRefine((list, ctx) => {
    const primaries = list.flatMap((a, i) => (a.primary ? [i] : []))
    for (const i of primaries.slice(1)) ctx.addIssue({ code: 'custom', path: [i, 'primary'], message: 'contact.one_primary' })
  })

const fields = {
  first_name: nullableText(100),
  last_name: nullableText(100),
  email: emailAddress,
  phone,
  title: nullableText(200),
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).transform((list) => [...new Set(list)]),
  influence: score,
  interest: score,
  county,
  language: nullableText(35),
  affiliations,
  tags,
  theme_ids: uuidList,
  notes: nullableText(20_000),
  lawful_basis: z.enum(LAWFUL_BASES),
  lawful_basis_note: nullableText(2000),
  protected_identity: z.boolean(),
}

/** A contact needs a name: a first name, a last name or both. */
export function lacksName(first: unknown, last: unknown): boolean {
  // Runs also when the fields failed their own checks: they may be anything a client sent.
  const blank = (v: unknown) => typeof v !== 'string' || !v.trim()
  return blank(first) && blank(last)
}

export const createContact = z
  .strictObject({
    ...fields,
    categories: fields.categories.default([]),
    affiliations: affiliations.default([]),
    tags: tags.default([]),
    theme_ids: uuidList.default([]),
    lawful_basis: fields.lawful_basis.default('public_task'),
    protected_identity: fields.protected_identity.default(false),
  })
  .superRefine(
    (v, ctx) => {
      if (!lacksName(v.first_name, v.last_name)) return
      for (const path of ['first_name', 'last_name']) ctx.addIssue({ code: 'custom', path: [path], message: 'contact.name_required' })
    },
    // Also when other fields are wrong, so that a form shows every problem at once.
    { when: () => true },
  )

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateContact = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type ContactInput = z.output<typeof createContact>

/** One affiliation row of the HTML form, as typed. */
export interface AffiliationRow {
  id: string
  organisation_id: string
  role: string
  start_date: string
  end_date: string
  primary: boolean
}

type FormValues = Record<string, string | string[]>

/**
 * The affiliation rows of the form (`affiliations.<n>.<field>`, one radio `affiliations_primary`
 * naming the primary row), without the rows left blank. Error keys count the rows kept, so the
 * form is shown again with exactly these rows.
 */
export function affiliationRowsFromForm(f: FormValues): AffiliationRow[] {
  const rows = new Map<number, AffiliationRow>()
  for (const [key, value] of Object.entries(f)) {
    const m = /^affiliations\.(\d{1,3})\.(id|organisation_id|role|start_date|end_date)$/.exec(key)
    if (!m) continue
    const n = Number(m[1])
    const row = rows.get(n) ?? { id: '', organisation_id: '', role: '', start_date: '', end_date: '', primary: false }
    row[m[2] as 'id'] = (textOf(value) ?? '').trim()
    rows.set(n, row)
  }
  const primary = textOf(f.affiliations_primary)
  if (primary !== null && rows.has(Number(primary))) rows.get(Number(primary))!.primary = true
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((r) => r.organisation_id || r.role || r.start_date || r.end_date)
}

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function contactFromForm(f: FormValues) {
  return {
    first_name: textOf(f.first_name),
    last_name: textOf(f.last_name),
    email: textOf(f.email),
    phone: textOf(f.phone),
    title: textOf(f.title),
    categories: listOf(f.categories),
    influence: intOf(f.influence),
    interest: intOf(f.interest),
    county: textOf(f.county),
    language: textOf(f.language),
    affiliations: affiliationRowsFromForm(f).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      organisation_id: r.organisation_id || undefined,
      role: r.role || null,
      start_date: r.start_date || null,
      end_date: r.end_date || null,
      primary: r.primary,
    })),
    tags: listOf(f.tags, true),
    theme_ids: listOf(f.theme_ids),
    notes: textOf(f.notes),
    lawful_basis: textOf(f.lawful_basis) ?? undefined,
    lawful_basis_note: textOf(f.lawful_basis_note),
    protected_identity: f.protected_identity === 'on' || f.protected_identity === 'true',
  }
}
