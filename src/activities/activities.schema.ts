import { z } from 'zod'
import { isoDate, nullableText, requiredText, uuidList } from '../register/fields.ts'

export const TYPES = [
  'conference', 'seminar', 'workshop', 'course', 'report', 'article', 'newsletter', 'website',
  'visibility_event', 'meeting', 'policy_input', 'study_visit', 'other',
] as const
export const STATUSES = ['planned', 'done', 'cancelled'] as const
/** Horizontal: dissemination to practitioners (spridning); vertical: influence on policy and systems (påverkan). */
export const LEVELS = ['horizontal', 'vertical'] as const
export const ROLES = ['organiser', 'speaker', 'participant', 'recipient'] as const
export const ATTENDANCES = ['invited', 'registered', 'attended', 'received', 'no_show'] as const
export const INFLUENCE_RESULTS = ['adopted', 'partly', 'not', 'unknown'] as const

export type ParticipantRole = (typeof ROLES)[number]
export type AttendanceValue = (typeof ATTENDANCES)[number]

const nullableDate = isoDate.nullish().transform((v) => v ?? null)
const nullableUuid = z.uuid().nullish().transform((v) => v ?? null)

export const participant = z
  .strictObject({
    // Sent back by a client that read the activity, so the participant keeps its id.
    id: z.uuid().optional(),
    contact_id: nullableUuid,
    organisation_id: nullableUuid,
    role: z.enum(ROLES).optional().transform((v) => v ?? 'participant'),
    attendance: z.enum(ATTENDANCES).optional().transform((v) => v ?? 'invited'),
  })
  .superRefine((p, ctx) => {
    if (!p.contact_id && !p.organisation_id) ctx.addIssue({ code: 'custom', path: ['contact_id'], message: 'activity.participant_who' })
  })

export type ParticipantInput = z.output<typeof participant>

/** Who a participant is: the person, or the organisation when no person is named. */
export const participantKey = (p: { contact_id: string | null; organisation_id: string | null }) =>
  p.contact_id ? `c:${p.contact_id}` : `o:${p.organisation_id}`

const participants = z
  .array(participant)
  .max(5000)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((p, i) => {
      const key = participantKey(p)
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, p.contact_id ? 'contact_id' : 'organisation_id'], message: 'activity.duplicate_participant' })
      seen.add(key)
    })
  })

/** The influence record of vertical work: who received the input, the ask, and what came of it. */
export const influence = z.strictObject({
  organisation_id: nullableUuid.optional(),
  body_id: nullableUuid.optional(),
  request: nullableText(5000).optional(),
  result: z.enum(INFLUENCE_RESULTS).nullish(),
  evidence: nullableText(5000).optional(),
  result_date: nullableDate.optional(),
})

export type InfluenceInput = z.output<typeof influence>

const fields = {
  title: requiredText(300),
  type: z.enum(TYPES),
  status: z.enum(STATUSES),
  start_date: nullableDate,
  end_date: nullableDate,
  location: nullableText(300),
  online: z.boolean(),
  level: z.enum(LEVELS).nullish().transform((v) => v ?? null),
  theme_ids: uuidList,
  product_ids: uuidList,
  participants,
  audience_size: z.number().int().min(0).max(10_000_000).nullish().transform((v) => v ?? null),
  outcome: nullableText(20_000),
  influence: influence.nullable(),
}

const datesInOrder = (v: { start_date?: string | null; end_date?: string | null }, ctx: z.RefinementCtx) => {
  if (v.start_date && v.end_date && v.end_date < v.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'activity.end_before_start' })
  if (v.end_date && v.start_date === null) ctx.addIssue({ code: 'custom', path: ['start_date'], message: 'activity.end_without_start' })
}

export const createActivity = z
  .strictObject({
    ...fields,
    type: fields.type.optional().transform((v) => v ?? 'other'),
    status: fields.status.optional().transform((v) => v ?? 'planned'),
    online: fields.online.optional().transform((v) => v ?? false),
    theme_ids: uuidList.optional().transform((v) => v ?? []),
    product_ids: uuidList.optional().transform((v) => v ?? []),
    participants: participants.optional().transform((v) => v ?? []),
    influence: fields.influence.optional().transform((v) => v ?? null),
  })
  .superRefine((v, ctx) => datesInOrder({ start_date: v.start_date ?? null, end_date: v.end_date }, ctx))

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateActivity = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type ActivityInput = z.output<typeof createActivity>
export type ActivityPatch = Omit<z.output<typeof updateActivity>, 'version'>

/** The participants action: add, remove and set attendance in one audited, version-checked step. */
export const participantsChange = z
  .strictObject({
    version: z.number().int().positive(),
    add: z.array(participant).max(5000).optional().transform((v) => v ?? []),
    remove: z.array(z.uuid()).max(5000).optional().transform((v) => v ?? []),
    set_attendance: z
      .strictObject({
        ids: z.array(z.uuid()).max(5000).optional(),
        all: z.boolean().optional(),
        attendance: z.enum(ATTENDANCES),
      })
      .refine((s) => s.all === true || (s.ids?.length ?? 0) > 0, { message: 'activity.choose_participants', path: ['ids'] })
      .optional(),
  })

export type ParticipantsChange = z.output<typeof participantsChange>

