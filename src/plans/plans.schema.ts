import { z } from 'zod'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { COUNTIES, normaliseCounty } from '../register/counties.ts'
import { isoDate, nullableText, requiredText, tags, uuidList } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'

export const STATUSES = ['draft', 'active', 'achieved', 'closed'] as const
export const ATTENDANCES = ['invited', 'registered', 'attended', 'received', 'no_show'] as const
export const DEFAULT_QUALIFYING = ['attended', 'received'] as const

export type PlanStatus = (typeof STATUSES)[number]

const nullableDate = isoDate.nullish().transform((v) => v ?? null)
const distinct = <T>(list: T[]) => [...new Set(list)]
/** A target may name thousands of people; each id is checked against the register on save. */
const targetIds = z.array(z.uuid()).max(20_000).transform(distinct)

const countyName = z.string().transform((v, ctx) => {
  const c = normaliseCounty(v)
  if (!c) {
    ctx.addIssue({ code: 'custom', message: 'validation.county' })
    return z.NEVER
  }
  return c
})

/**
 * The target group's filter. `affiliated_kinds` is our addition to the contract: people
 * currently affiliated with an organisation of one of these kinds (see plan-targets.ts).
 */
export const targetFilter = z.strictObject({
  kinds: z.array(z.enum(KINDS)).max(KINDS.length).transform(distinct).optional(),
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).transform(distinct).optional(),
  counties: z.array(countyName).max(COUNTIES.length).transform(distinct).optional(),
  theme_ids: uuidList.optional(),
  affiliated_kinds: z.array(z.enum(KINDS)).max(KINDS.length).transform(distinct).optional(),
  /**
   * People whose title or current role holds any of these texts, whatever the case
   * ("integrationshandläggare"); one text may be given as a string. About people only.
   */
  title: z.union([z.string(), z.array(z.string())])
    .transform((v) => distinct((Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.string().max(100)).max(20))
    .optional(),
  /** Records carrying any of these tags; like counties, narrows whichever side is targeted. */
  tags: tags.optional(),
})

export const target = z
  .strictObject({
    organisation_ids: targetIds.optional(),
    contact_ids: targetIds.optional(),
    filter: targetFilter.optional(),
    /** A saved segment whose members (resolved when progress is computed) join the target group. */
    segment_id: z.uuid().nullish(),
  })
  .transform(compactTarget)

type FilterInput = z.output<typeof targetFilter>
export interface TargetInput {
  organisation_ids?: string[]
  contact_ids?: string[]
  filter?: FilterInput
  segment_id?: string
}

/** Empty lists left out, so that a target is stored (and audited) one way only. */
export function compactTarget(t: { organisation_ids?: string[]; contact_ids?: string[]; filter?: FilterInput; segment_id?: string | null }): TargetInput {
  const out: TargetInput = {}
  if (t.organisation_ids?.length) out.organisation_ids = t.organisation_ids
  if (t.contact_ids?.length) out.contact_ids = t.contact_ids
  const filter: FilterInput = {}
  for (const key of ['kinds', 'categories', 'counties', 'theme_ids', 'affiliated_kinds', 'title', 'tags'] as const) {
    const list = t.filter?.[key]
    if (list?.length) (filter as Record<string, string[]>)[key] = list
  }
  if (Object.keys(filter).length) out.filter = filter
  if (t.segment_id) out.segment_id = t.segment_id
  return out
}

const fields = {
  name: requiredText(200),
  goal: nullableText(5000),
  deadline: nullableDate,
  status: z.enum(STATUSES),
  target,
  theme_ids: uuidList,
  product_ids: uuidList,
  qualifying_attendance: z.array(z.enum(ATTENDANCES)).min(1, 'plan.qualifying_required').max(ATTENDANCES.length).transform(distinct),
}

export const createPlan = z.strictObject({
  ...fields,
  status: fields.status.default('draft'),
  target: target.default({}),
  theme_ids: uuidList.default([]),
  product_ids: uuidList.default([]),
  qualifying_attendance: fields.qualifying_attendance.default([...DEFAULT_QUALIFYING]),
})

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updatePlan = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type PlanInput = z.output<typeof createPlan>
export type PlanPatch = Omit<z.output<typeof updatePlan>, 'version'>

type FormValues = Record<string, string | string[]>

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function planFromForm(f: FormValues) {
  return {
    name: textOf(f.name) ?? '',
    goal: textOf(f.goal),
    deadline: textOf(f.deadline),
    status: textOf(f.status) ?? undefined,
    target: {
      organisation_ids: listOf(f.organisation_ids),
      contact_ids: listOf(f.contact_ids),
      filter: {
        kinds: listOf(f.filter_kinds),
        categories: listOf(f.filter_categories),
        counties: listOf(f.filter_counties),
        theme_ids: listOf(f.filter_theme_ids),
        affiliated_kinds: listOf(f.filter_affiliated_kinds),
        title: listOf(f.filter_title, true),
        tags: listOf(f.filter_tags, true),
      },
      segment_id: textOf(f.segment_id),
    },
    theme_ids: listOf(f.theme_ids),
    product_ids: listOf(f.product_ids),
    qualifying_attendance: listOf(f.qualifying_attendance),
  }
}
