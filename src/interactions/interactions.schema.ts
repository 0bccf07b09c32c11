import { z } from 'zod'
import { isoDate, nullableText, requiredText, uuidList } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'

export const INTERACTION_KINDS = ['meeting', 'call', 'email', 'note'] as const
export type InteractionKind = (typeof INTERACTION_KINDS)[number]

const nullableDate = isoDate.nullish().transform((v) => v ?? null)

const fields = {
  kind: z.enum(INTERACTION_KINDS),
  occurred_on: isoDate,
  summary: requiredText(20_000),
  contact_ids: uuidList,
  organisation_ids: uuidList,
  follow_up_on: nullableDate,
  follow_up_assignee_id: z.uuid().nullish().transform((v) => v ?? null),
  follow_up_note: nullableText(200),
}

export const createInteraction = z.strictObject({
  ...fields,
  contact_ids: uuidList.default([]),
  organisation_ids: uuidList.default([]),
  follow_up_on: nullableDate.default(null),
  follow_up_assignee_id: fields.follow_up_assignee_id.default(null),
  follow_up_note: fields.follow_up_note.default(null),
})

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateInteraction = z
  .strictObject(fields)
  .partial()
  .extend({ follow_up_done: z.boolean().optional(), version: z.number().int().positive() })

export type InteractionInput = z.output<typeof createInteraction>
export type InteractionPatch = Omit<z.output<typeof updateInteraction>, 'version'>

export const FOLLOW_UP_FILTERS = ['open', 'overdue', 'done'] as const

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function interactionFromForm(f: Record<string, string | string[]>) {
  const followUpOn = textOf(f.follow_up_on)
  return {
    kind: textOf(f.kind) ?? undefined,
    occurred_on: textOf(f.occurred_on) ?? undefined,
    summary: textOf(f.summary) ?? '',
    contact_ids: listOf(f.contact_ids),
    organisation_ids: listOf(f.organisation_ids),
    follow_up_on: followUpOn,
    // An assignee means nothing without a date; the form preselects one, so drop it quietly.
    follow_up_assignee_id: followUpOn ? textOf(f.follow_up_assignee_id) : null,
    follow_up_note: textOf(f.follow_up_note),
  }
}
