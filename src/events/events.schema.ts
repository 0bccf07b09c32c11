import { z } from 'zod'
import { isoDate } from '../register/fields.ts'

/** Activities people register for; other kinds (reports, newsletters) have no registration. */
export const REGISTRABLE_TYPES = ['conference', 'seminar', 'workshop', 'course'] as const
export const QUESTION_KINDS = ['text', 'choice'] as const
export const MAX_QUESTIONS = 5

const questionId = z.string().regex(/^[a-z0-9]{1,12}$/)

export const question = z.strictObject({
  /** Stable across edits, so answers keep their question; made up when left out. */
  id: questionId.optional(),
  label: z.string().trim().min(1).max(200),
  kind: z.enum(QUESTION_KINDS),
  options: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  required: z.boolean().default(false),
}).superRefine((q, ctx) => {
  if (q.kind === 'choice' && q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'events.options_needed' })
})

/** The registration settings of an activity (PUT: `version` is required once they exist). */
export const registrationSettings = z.strictObject({
  version: z.number().int().positive().optional(),
  open: z.boolean(),
  capacity: z.number().int().min(1).max(100_000).nullish().transform((v) => v ?? null),
  deadline: isoDate.nullish().transform((v) => v ?? null),
  questions: z.array(question).max(MAX_QUESTIONS).default([]),
})

export type SettingsInput = z.output<typeof registrationSettings>

const formText = (max: number) => z.string().trim().max(max)

/** The public registration form; answers are checked against the activity's questions separately. */
export const registrationForm = z.strictObject({
  name: formText(200).min(1, 'events.name_required'),
  email: z.email('validation.email').trim().max(254),
  organisation: formText(200).optional().transform((v) => v || null),
})

export type RegistrationInput = z.output<typeof registrationForm>

/** Whom to invite: the activity's participants marked invited, pasted addresses, or a saved segment. */
export const inviteSource = z.union([
  z.strictObject({ source: z.literal('participants') }),
  z.strictObject({ source: z.literal('emails'), emails: z.array(z.string().max(254)).min(1).max(2000) }),
  z.strictObject({ source: z.literal('segment'), segment_id: z.uuid() }),
])

export type InviteSource = z.output<typeof inviteSource>
