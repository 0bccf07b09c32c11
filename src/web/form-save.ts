import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { StaleVersionError, NotFoundError, ValidationError } from './errors.ts'
import { setFlash } from './flash.ts'
import { translateFields, type MessageKey } from './i18n.ts'
import { pickErrors } from './pick.ts'
import { fieldErrors } from './validate.ts'

export type FormValues = Record<string, string | string[]>
export type FormErrors = Record<string, string>

/** How one form is saved; `record` is null for a new one. */
export interface FormSave<R, D, S, V extends FormValues = FormValues> {
  record: R | null
  /** What was submitted; kept as typed whatever happens. */
  values: V
  /** The schema's verdict on the submitted form (`schema.safeParse(fromForm(values))`). */
  parsed: z.ZodSafeParseResult<D>
  /** Messages for a refused form; by default one per field from the schema's issues. */
  invalid?: (error: z.ZodError) => FormErrors
  /** Adjusts messages (the schema's and the service's) before the form shows them, e.g. onto repeated rows. */
  messages?: (fields: FormErrors) => FormErrors
  /** Creates (record null) or updates at the submitted version. */
  write: (data: D, version: number) => Promise<S>
  /** The record as stored now, for the form after a conflict (an edit form has one; a new record cannot conflict). */
  reload?: (record: R) => Promise<R | undefined>
  /** The form again: 422 with messages, or 409 with the stored record beside what was typed. */
  show: (record: R | null, values: V, errors: FormErrors, status: 422 | 409, stored?: R) => Response | Promise<Response>
  /** Where a successful save goes (after the flash is set). */
  done: (saved: S) => Response | Promise<Response>
  /** Flash message keys; by default 'record.created' / 'record.saved'. */
  flash?: { created: MessageKey; saved: MessageKey }
}

/**
 * The form dance every editable page does, in one place: an invalid form is shown again with
 * its messages (422); a service's ValidationError likewise; a version conflict shows the stored
 * record beside what was typed, at the stored version, so saving again is a knowing overwrite (409).
 */
export async function saveForm<R extends { version: number }, D, S, V extends FormValues = FormValues>(
  c: Context<AppEnv>,
  form: FormSave<R, D, S, V>,
): Promise<Response> {
  const { record, values, parsed } = form
  const messages = form.messages ?? ((fields: FormErrors) => fields)
  // A picker's text that names no record is refused beside it, whatever else is right or wrong.
  const picked = pickErrors(c)
  if (!parsed.success) {
    const errors = form.invalid ? form.invalid(parsed.error) : messages(fieldErrors(parsed.error, c.get('t')))
    return form.show(record, values, { ...errors, ...picked }, 422)
  }
  if (Object.keys(picked).length) return form.show(record, values, picked, 422)
  let saved: S
  try {
    saved = await form.write(parsed.data, Number(values.version))
  } catch (err) {
    if (err instanceof ValidationError) return form.show(record, values, messages(translateFields(err.fields, c.get('t'))), 422)
    if (record && form.reload && err instanceof StaleVersionError) {
      const stored = await form.reload(record)
      if (!stored) throw new NotFoundError()
      return form.show(stored, { ...values, version: String(stored.version) }, {}, 409, stored)
    }
    throw err
  }
  const flash = form.flash ?? { created: 'record.created', saved: 'record.saved' } as const
  setFlash(c, record ? flash.saved : flash.created)
  return form.done(saved)
}
