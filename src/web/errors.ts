/** Errors the app raises on purpose; anything else is a 500 whose details stay in the log. */
export class AppError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

export class ValidationError extends AppError {
  readonly fields: Record<string, string>
  constructor(fields: Record<string, string>, message = 'validation') {
    super(400, 'validation', message)
    this.fields = fields
  }
}

export class UnauthenticatedError extends AppError {
  constructor() {
    super(401, 'unauthenticated', 'unauthenticated')
  }
}

export class ForbiddenError extends AppError {
  constructor() {
    super(403, 'forbidden', 'forbidden')
  }
}

export class NotFoundError extends AppError {
  constructor() {
    super(404, 'not_found', 'not_found')
  }
}

/** The request conflicts with what is stored; `current`, when given, is the record as stored now. */
export class ConflictError extends AppError {
  readonly current: unknown
  constructor(current?: unknown, message = 'conflict') {
    super(409, 'conflict', message)
    this.current = current
  }
}

/**
 * The record changed since the client read it (its version moved on): the one conflict a form
 * answers by showing the stored record beside what was typed (saveForm). Any other conflict —
 * an erased person, an issue already sent — is a refusal with its own reason.
 */
export class StaleVersionError extends ConflictError {
  constructor(current: unknown) {
    super(current)
  }
}

/**
 * The person was erased (anonymised): their record stays only as an anonymous node for
 * statistics, and nothing may name them again — no edit, no new interaction or consent.
 */
export class ErasedPersonError extends ConflictError {
  constructor() {
    super(undefined, 'privacy.erased_readonly')
  }
}

export class PayloadTooLargeError extends AppError {
  constructor() {
    super(413, 'payload_too_large', 'payload_too_large')
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'rate_limited')
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class UnavailableError extends AppError {
  constructor() {
    super(503, 'unavailable', 'unavailable')
  }
}
