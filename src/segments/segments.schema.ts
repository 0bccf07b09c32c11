import { z } from 'zod'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import type { SegmentFilter } from '../db/schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { ATTENDANCES } from '../plans/plans.schema.ts'
import { COUNTIES, normaliseCounty } from '../register/counties.ts'
import { nullableText, requiredText, tags, uuidList } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'

const distinct = <T>(list: T[]) => [...new Set(list)]
/** Explicit additions and exclusions may name many people; each id is checked on save. */
const personIds = z.array(z.uuid()).max(5000).transform(distinct)

const countyName = z.string().transform((v, ctx) => {
  const c = normaliseCounty(v)
  if (!c) {
    ctx.addIssue({ code: 'custom', message: 'validation.county' })
    return z.NEVER
  }
  return c
})

/**
 * The saved filter: every filter the contact and organisation lists have, over people. Within a
 * field any value matches; fields combine with AND (src/segments/segment-members.ts).
 */
export const segmentFilter = z.strictObject({
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).transform(distinct).optional(),
  counties: z.array(countyName).max(COUNTIES.length).transform(distinct).optional(),
  theme_ids: uuidList.optional(),
  tags: tags.optional(),
  /** Text found in the person's title or the role of a current affiliation (case-insensitive). */
  title: z.string().trim().max(200).optional(),
  /** Working today at an organisation of one of these kinds. */
  affiliated_kinds: z.array(z.enum(KINDS)).max(KINDS.length).transform(distinct).optional(),
  /** Working today at one of these organisations. */
  organisation_ids: uuidList.optional(),
  /** A current member of one of these alliances: named as the member's contact, or working at a member organisation. */
  alliance_ids: uuidList.optional(),
  /** Holding a current seat in one of these bodies. */
  body_ids: uuidList.optional(),
  /** Took part in one of these activities (any, when only `attendance` is given)… */
  activity_ids: uuidList.optional(),
  /** …with one of these attendances (any, when only `activity_ids` is given). */
  attendance: z.array(z.enum(ATTENDANCES)).max(ATTENDANCES.length).transform(distinct).optional(),
  /** A confirmed subscriber of one of these newsletter lists. */
  list_ids: uuidList.optional(),
})

export const FILTER_KEYS = [
  'categories', 'counties', 'theme_ids', 'tags', 'title', 'affiliated_kinds', 'organisation_ids', 'alliance_ids', 'body_ids',
  'activity_ids', 'attendance', 'list_ids',
] as const

/** Empty fields left out, so that a filter is stored (and audited) one way only. */
export function compactFilter(f: z.output<typeof segmentFilter> | undefined): SegmentFilter {
  const out: Record<string, unknown> = {}
  for (const key of FILTER_KEYS) {
    const v = f?.[key]
    if (typeof v === 'string' ? v.length > 0 : v?.length) out[key] = v
  }
  return out as SegmentFilter
}

const fields = {
  name: requiredText(200),
  description: nullableText(2000),
  filter: segmentFilter.transform(compactFilter),
  include_ids: personIds,
  exclude_ids: personIds,
}

export const createSegment = z.strictObject({
  ...fields,
  filter: fields.filter.default({}),
  include_ids: personIds.default([]),
  exclude_ids: personIds.default([]),
})

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateSegment = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

/** A definition counted before it is saved (the live count while editing). */
export const segmentDefinition = createSegment.omit({ name: true, description: true })

export type SegmentInput = z.output<typeof createSegment>
export type SegmentPatch = Omit<z.output<typeof updateSegment>, 'version'>
export type SegmentDefinition = Pick<SegmentInput, 'filter' | 'include_ids' | 'exclude_ids'>

type FormValues = Record<string, string | string[]>

/** The form's strings, shaped like the API's input so that one schema checks both. */
export function segmentFromForm(f: FormValues) {
  const many = (name: string) => listOf(f[name])
  return {
    name: textOf(f.name) ?? '',
    description: textOf(f.description),
    filter: {
      categories: many('categories'),
      counties: many('counties'),
      theme_ids: many('theme_ids'),
      tags: listOf(f.tags, true),
      title: textOf(f.title) ?? undefined,
      affiliated_kinds: many('affiliated_kinds'),
      organisation_ids: many('organisation_ids'),
      alliance_ids: many('alliance_ids'),
      body_ids: many('body_ids'),
      activity_ids: many('activity_ids'),
      attendance: many('attendance'),
      list_ids: many('list_ids'),
    },
    include_ids: many('include_ids'),
    exclude_ids: many('exclude_ids'),
  }
}
