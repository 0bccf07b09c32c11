import { z } from 'zod'
import { nullableText, requiredText, uuidList, website } from '../register/fields.ts'
import { listOf, textOf } from '../web/form.ts'

/** What a project delivers: "products" in the Equal sense are also formats, methods and training (seed 002). */
export const KINDS = ['report', 'manual', 'film', 'method', 'training', 'conference_format', 'website', 'other'] as const
export const GOOD_PRACTICE = ['candidate', 'validated', 'rejected'] as const

export type ProductKind = (typeof KINDS)[number]
export type GoodPractice = (typeof GOOD_PRACTICE)[number]

const fields = {
  title: requiredText(300),
  kind: z.enum(KINDS),
  project_id: z.uuid().nullish().transform((v) => v ?? null),
  theme_ids: uuidList,
  url: website,
  summary: nullableText(20_000),
  good_practice_status: z.enum(GOOD_PRACTICE).nullish().transform((v) => v ?? null),
  /** Shown in the public idea bank. */
  public: z.boolean(),
}

/** The idea bank shows a product by its summary: one without is not published. */
export function lacksSummaryForPublic(v: { public?: boolean; summary?: string | null }): boolean {
  return v.public === true && !v.summary?.trim()
}

export const createProduct = z
  .strictObject({ ...fields, theme_ids: uuidList.default([]), public: fields.public.default(false) })
  .superRefine(
    (v, ctx) => {
      if (lacksSummaryForPublic(v)) ctx.addIssue({ code: 'custom', path: ['public'], message: 'product.public_needs_summary' })
    },
    // Also when other fields are wrong, so that a form shows every problem at once.
    { when: () => true },
  )

/** Every field optional and without defaults: what a PATCH leaves out stays as it is. */
export const updateProduct = z.strictObject(fields).partial().extend({ version: z.number().int().positive() })

export type ProductInput = z.output<typeof createProduct>
export type ProductPatch = Omit<z.output<typeof updateProduct>, 'version'>

type FormValues = Record<string, string | string[]>

/** The HTML form's strings, shaped like the JSON API's input so one schema checks both. */
export function productFromForm(f: FormValues) {
  return {
    title: textOf(f.title) ?? '',
    kind: textOf(f.kind) ?? undefined,
    project_id: textOf(f.project_id),
    theme_ids: listOf(f.theme_ids),
    url: textOf(f.url),
    summary: textOf(f.summary),
    good_practice_status: textOf(f.good_practice_status),
    public: textOf(f.public) === 'true',
  }
}
