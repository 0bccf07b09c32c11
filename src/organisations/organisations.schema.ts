import { z } from 'zod'
import { countryCode, county, nullableText, orgNumber, requiredText, score, tags, uuidList, website } from '../register/fields.ts'
import { intOf, listOf, textOf } from '../web/form.ts'

export const KINDS = [
  'authority', 'ministry', 'county_board', 'municipality', 'region', 'ngo', 'research',
  'media', 'international', 'partnership', 'business', 'other',
] as const

const fields = {
  name: requiredText(200),
  short_name: nullableText(50),
  kind: z.enum(KINDS),
  country: countryCode,
  county,
  org_number: orgNumber,
  website,
  parent_id: z.uuid().nullish().transform((v) => v ?? null),
  influence: score,
  interest: score,
  tags,
  theme_ids: uuidList,
  notes: nullableText(20_000),
}

export const createOrganisation = z.strictObject({
  ...fields,
  country: countryCode.default('SE'),
  tags: tags.default([]),
  theme_ids: uuidList.default([]),
})

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateOrganisation = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type OrganisationInput = z.output<typeof createOrganisation>

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function organisationFromForm(f: Record<string, string | string[]>) {
  return {
    name: textOf(f.name) ?? '',
    short_name: textOf(f.short_name),
    kind: textOf(f.kind) ?? undefined,
    country: textOf(f.country) ?? 'SE',
    county: textOf(f.county),
    org_number: textOf(f.org_number),
    website: textOf(f.website),
    parent_id: textOf(f.parent_id),
    influence: intOf(f.influence),
    interest: intOf(f.interest),
    tags: listOf(f.tags, true),
    theme_ids: listOf(f.theme_ids),
    notes: textOf(f.notes),
  }
}
