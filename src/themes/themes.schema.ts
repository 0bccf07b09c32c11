import { z } from 'zod'
import { nullableText, requiredText } from '../register/fields.ts'
import { textOf } from '../web/form.ts'

const fields = {
  name: requiredText(200),
  parent_id: z.uuid().nullish().transform((v) => v ?? null),
  description: nullableText(5000),
}

export const createTheme = z.strictObject(fields)

/** Every field optional: what a PATCH leaves out stays as it is. */
export const updateTheme = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type ThemeInput = z.output<typeof createTheme>

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function themeFromForm(f: Record<string, string | string[]>) {
  return {
    name: textOf(f.name) ?? '',
    parent_id: textOf(f.parent_id),
    description: textOf(f.description),
  }
}
