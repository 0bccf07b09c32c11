import { z } from 'zod'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password.ts'

export const ROLES = ['admin', 'editor', 'viewer'] as const

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((v) => v.toLowerCase())
const name = z.string().trim().min(1).max(200)
// min(1) first, so an empty field says "fill in" rather than "at least 12 characters".
// Stored exactly as typed (never trimmed), but spaces around it do not count towards the length:
// twelve spaces is not a password.
export const password = z
  .string()
  .min(1)
  .min(MIN_PASSWORD_LENGTH)
  .max(MAX_PASSWORD_LENGTH)
  .refine((p) => p.trim().length >= MIN_PASSWORD_LENGTH, { message: 'validation.password_blank' })
const role = z.enum(ROLES)

export const createUserInput = z.strictObject({
  email,
  name: name.optional(),
  role: role.default('viewer'),
  active: z.boolean().default(true),
  password,
})

export const updateUserInput = z.strictObject({
  version: z.number().int().positive(),
  email: email.optional(),
  name: name.optional(),
  role: role.optional(),
  active: z.boolean().optional(),
  password: password.optional(),
})

const checkbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean())

/** The admin page's forms: every value arrives as a string. */
export const newUserForm = z.object({ email, name, role, active: checkbox, password })
export const editUserForm = z.object({ email, name, role, active: checkbox, version: z.coerce.number().int().positive() })
export const resetPasswordForm = z.object({ password, version: z.coerce.number().int().positive() })

export type CreateUserInput = z.output<typeof createUserInput>
export type UpdateUserInput = z.output<typeof updateUserInput>
