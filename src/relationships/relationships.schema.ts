import { z } from 'zod'
import type { RelationshipType } from '../db/schema.ts'
import { RELATIONSHIP_TYPES } from '../register/vocabulary.ts'
import { isoDate, nullableText } from '../register/fields.ts'
import { textOf } from '../web/form.ts'

export { RELATIONSHIP_TYPES }

/**
 * A relationship as one of its two organisations sees it: "funds" from the funder's side,
 * "funded_by" from the other. partner_of reads the same both ways.
 */
export const RELATIONS = {
  funds: { type: 'funds', reversed: false },
  funded_by: { type: 'funds', reversed: true },
  reports_to: { type: 'reports_to', reversed: false },
  receives_reports_from: { type: 'reports_to', reversed: true },
  partner_of: { type: 'partner_of', reversed: false },
  member_of: { type: 'member_of', reversed: false },
  has_member: { type: 'member_of', reversed: true },
  advises: { type: 'advises', reversed: false },
  advised_by: { type: 'advises', reversed: true },
} as const satisfies Record<string, { type: RelationshipType; reversed: boolean }>

export type Relation = keyof typeof RELATIONS
export const RELATION_KEYS = Object.keys(RELATIONS) as Relation[]

/** The wording of `type` seen from one side (`reversed`: from the `to` organisation's). */
export function relationOf(type: RelationshipType, reversed: boolean): Relation {
  if (type === 'partner_of') return 'partner_of'
  return RELATION_KEYS.find((k) => RELATIONS[k].type === type && RELATIONS[k].reversed === reversed)!
}

export function isSymmetric(type: RelationshipType): boolean {
  return type === 'partner_of'
}

const nullableDate = isoDate.nullish().transform((v) => v ?? null)

const fields = {
  from_organisation_id: z.uuid(),
  to_organisation_id: z.uuid(),
  type: z.enum(RELATIONSHIP_TYPES),
  start_date: nullableDate,
  end_date: nullableDate,
  note: nullableText(2000),
}

export const createRelationship = z.strictObject(fields).superRefine(
  (r, ctx) => {
    if (r.from_organisation_id && r.from_organisation_id === r.to_organisation_id) {
      ctx.addIssue({ code: 'custom', path: ['to_organisation_id'], message: 'relationship.self' })
    }
    if (r.start_date && r.end_date && r.end_date < r.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'relationship.end_before_start' })
    }
  },
  // Also when other fields are wrong, so that a form shows every problem at once.
  { when: () => true },
)

/** Every field optional: what a PATCH leaves out stays as it is (the service checks the result as a whole). */
export const updateRelationship = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type RelationshipInput = z.output<typeof createRelationship>

type FormValues = Record<string, string | string[]>

/**
 * The organisation page's form speaks from that organisation's side: `relation` is one of
 * RELATIONS ("funded_by" makes the other organisation the funder), `other_organisation_id` the
 * other side. Shaped here into the API's input, so one schema checks both.
 */
export function relationshipFromForm(f: FormValues) {
  const self = textOf(f.organisation_id) ?? undefined
  const other = textOf(f.other_organisation_id) ?? undefined
  const relation = textOf(f.relation)
  const r = relation && relation in RELATIONS ? RELATIONS[relation as Relation] : null
  return {
    from_organisation_id: r?.reversed ? other : self,
    to_organisation_id: r?.reversed ? self : other,
    type: r?.type ?? relation ?? undefined,
    start_date: textOf(f.start_date),
    end_date: textOf(f.end_date),
    note: textOf(f.note),
  }
}

/** The API's field names of an error, as the form's. */
export function formErrors(fields: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = { from_organisation_id: 'other_organisation_id', to_organisation_id: 'other_organisation_id', type: 'relation' }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(fields)) out[names[k] ?? k] ??= v
  return out
}
