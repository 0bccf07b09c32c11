import type { Context, MiddlewareHandler } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { NotFoundError, ValidationError } from './errors.ts'
import { API_INPUT } from './openapi.ts'
import { isMessageKey, type Translate } from './i18n.ts'
import { queryOf } from './query.ts'

/** One human message per bad field, in the user's language. */
export function fieldErrors(error: z.ZodError, t: Translate): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= t('validation.unknown_field')
      continue
    }
    const path = issue.path.join('.') || '_'
    fields[path] ??= issueMessage(issue, t)
  }
  return fields
}

function issueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  if (isMessageKey(issue.message)) return t(issue.message)
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null || issue.input === ''
        ? t('validation.required')
        : t('validation.invalid')
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.too_short', { min: Number(issue.minimum) })
      }
      return t('validation.invalid')
    case 'too_big':
      return issue.origin === 'string' ? t('validation.too_long', { max: Number(issue.maximum) }) : t('validation.invalid')
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email')
      if (issue.format === 'date') return t('validation.date')
      if (issue.format === 'uuid') return t('validation.unknown_reference')
      return t('validation.invalid')
    case 'invalid_value':
      return t('validation.invalid_option')
    default:
      return t('validation.invalid')
  }
}

export function parseOrThrow<S extends z.ZodType>(c: Context<AppEnv>, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new ValidationError(fieldErrors(result.error, c.get('t')))
  return result.data
}

/** hono/validator over zod, raising the contract's `validation` error. */
export function validate<S extends z.ZodType, T extends 'json' | 'query' | 'param'>(
  target: T,
  schema: S,
): MiddlewareHandler<AppEnv, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }> {
  const middleware = validator(target, (value, c) => {
    // An unset <select> or empty search box sends `name=`; that means "no filter", not a bad value.
    // NUL or bytes that are not UTF-8 in any parameter are refused, naming it.
    if (target === 'query') value = queryOf(c)
    if (target === 'json' && c.req.header('content-type')?.split(';')[0]?.trim() !== 'application/json') {
      throw new ValidationError({ _: c.get('t')('validation.invalid') }, 'expected application/json')
    }
    return parseOrThrow(c as Context<AppEnv>, schema, value)
  })
  // The route's API document reads its input from here (web/openapi.ts).
  return Object.assign(middleware, { [API_INPUT]: { target, schema } }) as never
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A route's `:id` that is not a UUID names nothing: 404, before the database sees it. */
export const idParam: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = c.req.param('id')
  if (id !== undefined && !UUID.test(id)) throw new NotFoundError()
  await next()
}
