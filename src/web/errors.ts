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

/** The record changed since the client read it; `current` is what is stored now. */
export class ConflictError extends AppError {
  readonly current: unknown
  constructor(current?: unknown, message = 'conflict') {
    super(409, 'conflict', message)
    this.current = current
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
