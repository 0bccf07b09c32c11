import { z } from 'zod'
import { nullableText } from '../register/fields.ts'

export const createList = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: nullableText(2000),
  public: z.boolean().default(true),
  /** Recipients also from this saved segment's members (as they are at each send), besides the confirmed subscribers. */
  segment_id: z.uuid().nullish().transform((v) => v ?? null),
})

/** Only what a PATCH names changes (no defaults here). */
export const updateList = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: nullableText(2000).optional(),
  public: z.boolean().optional(),
  segment_id: z.uuid().nullable().optional(),
  version: z.number().int().positive(),
})

export type ListInput = z.output<typeof createList>

const formText = (max: number) => z.string().trim().max(max)

/** The public sign-up form (form fields; list_ids repeated). */
export const subscribeForm = z.strictObject({
  name: formText(200).min(1, 'newsletter.name_required'),
  email: z.email('validation.email').trim().max(254),
  organisation: formText(200).optional().transform((v) => v || null),
  list_ids: z.array(z.uuid()).min(1, 'newsletter.choose_list').max(50),
  lang: z.enum(['sv', 'en']).optional(),
})

export type SubscribeInput = z.output<typeof subscribeForm>
