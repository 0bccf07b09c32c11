import { z } from 'zod'
import { nullableText } from '../register/fields.ts'

export const createList = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: nullableText(2000),
  public: z.boolean().default(true),
})

export const updateList = createList.partial().extend({ version: z.number().int().positive() })

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
