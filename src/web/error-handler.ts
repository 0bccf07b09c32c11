import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../app-env.ts'
import { AppError, ConflictError, RateLimitedError, StaleVersionError, UnavailableError, ValidationError } from './errors.ts'
import { CsrfError, ourUrl } from '../auth/csrf.ts'
import { ClientGoneError } from '../db/client-gone.ts'
import { isApi } from './htmx.ts'
import { render } from './render.ts'
import { sameOriginPath } from './redirect.ts'
import { safeError } from '../log.ts'
import { isMessageKey, translateFields, type MessageKey, type Translate } from './i18n.ts'

const UNIQUE_VIOLATION = '23505'
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'])

// `not queryable`: pg's error when a transaction is rolled back on a connection that died mid-request.
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return (e.code !== undefined && CONNECTION_ERRORS.has(e.code)) ||
    /Connection terminated|timeout exceeded when trying to connect|not queryable|PGlite.*closed|driver has already been destroyed/i.test(e.message ?? '')
}

/** Maps whatever was thrown to the contract's error; unknown errors keep their details in the log only. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError(413, 'payload_too_large', 'payload_too_large')
    if (err.status === 400) return new ValidationError({ _: 'malformed request' })
    return new AppError(err.status, 'error', err.message)
  }
  if ((err as { code?: string }).code === UNIQUE_VIOLATION) return new ConflictError(undefined, 'error.duplicate')
  if (isConnectionError(err)) return new UnavailableError()
  return null
}

export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ClientGoneError) {
    // Nobody reads this answer: not a failure of ours (499, nginx's "client closed request").
    c.get('log')?.info('the client went away before the answer: the rest of its read was not run')
    return new Response(null, { status: 499 })
  }
  const appErr = toAppError(err)
  const t = c.get('t')
  if (!appErr) {
    c.get('log')?.error({ err: safeError(err) }, 'unhandled error')
  } else if (appErr.status >= 500) {
    c.get('log')?.warn({ code: appErr.code, err: safeError(err) }, 'service unavailable')
  }
  const status = appErr?.status ?? 500
  const code = appErr?.code ?? 'internal'
  if (appErr instanceof RateLimitedError) c.header('Retry-After', String(appErr.retryAfterSeconds))
  // A refusal that names its reason by catalogue key (`privacy.erased_readonly`) says it; others say their code's message.
  const key: MessageKey = err instanceof CsrfError ? 'error.csrf' : appErr && isMessageKey(appErr.message) ? appErr.message : messageKeyFor(code)
  const fields = appErr instanceof ValidationError ? translated(appErr.fields, t) : undefined
  const firstField = fields ? Object.values(fields)[0] : undefined
  const message = firstField && !isApi(c) ? firstField : t ? t(key, { id: c.get('requestId') ?? '' }) : code
  if (isApi(c) || !t) {
    const body: { error: { code: string; message: string; fields?: Record<string, string> } } = { error: { code, message } }
    if (fields) body.error.fields = fields
    return c.json(body, status as 400)
  }
  // Headed by what happened: a refusal with its reason (409 "Kan inte ändras") is not "something
  // went wrong", nor is a record someone else changed meanwhile (409 "Ändrad av någon annan").
  const heading = t(err instanceof CsrfError ? 'error.heading.csrf' : appErr instanceof StaleVersionError ? 'error.heading.stale' : headingKeyFor(code))
  return render(c, 'errors/error', { title: heading, heading, message, status, back: backTo(c) }, status)
}

/**
 * The page the reader came from (the Referer, sent on our own origin: Referrer-Policy same-origin),
 * to go back to and see it as it is now — a record someone else changed, a form to correct. None
 * from another host (ours as CSRF knows it: ourUrl), or when it is the page that failed.
 */
function backTo(c: Context<AppEnv>): string | undefined {
  const referer = c.req.header('referer')
  const from = referer ? ourUrl(c, referer) : undefined
  if (!from || !/^https?:$/.test(from.protocol)) return undefined
  const path = sameOriginPath(from.pathname + from.search, '')
  const here = new URL(c.req.url)
  return path && path !== here.pathname + here.search ? path : undefined
}

/** The heading of an error page: what kind of answer it is; an unknown error's is "something went wrong". */
function headingKeyFor(code: string): MessageKey {
  const key = messageKeyFor(code)
  return key === 'error.internal' ? 'error.title' : (`error.heading.${code}` as MessageKey)
}

/** Code below the routes (a cursor, a query's text, a service) names its problem by catalogue key: translated here, once. */
function translated(fields: Record<string, string>, t: Translate | undefined): Record<string, string> {
  return t ? translateFields(fields, t) : fields
}

function messageKeyFor(code: string): MessageKey {
  switch (code) {
    case 'not_found':
    case 'forbidden':
    case 'unauthenticated':
    case 'conflict':
    case 'payload_too_large':
    case 'rate_limited':
    case 'unavailable':
    case 'validation':
      return `error.${code}`
    default:
      return 'error.internal'
  }
}
