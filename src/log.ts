import pino, { type DestinationStream, type Logger } from 'pino'

/** Structured JSON logs. Never log bodies, query strings, cookies or headers: they carry personal data and secrets. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: safeError },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization', 'cookie', '*.authorization', '*.cookie', 'email', '*.email'],
        censor: '[redacted]',
      },
    },
    destination,
  )
}

export interface LoggedError {
  type: string
  code?: string
  constraint?: string
  stack?: string
}

/**
 * What of an error may be logged: its kind, SQLSTATE code, constraint name and where it was
 * thrown. Never its message, nor the driver's `query`, `params` or `detail`: PostgreSQL's and
 * JavaScript's messages echo the values involved (`invalid input syntax for type uuid: "…"`,
 * `"…" is an invalid header value`), and the parameters are names, e-mail addresses and
 * password hashes.
 */
export function safeError(err: unknown): LoggedError {
  if (typeof err !== 'object' || err === null) return { type: typeof err }
  const e = err as { name?: unknown; code?: unknown; constraint?: unknown; stack?: unknown }
  const out: LoggedError = { type: typeof e.name === 'string' ? e.name : (err.constructor?.name ?? 'object') }
  if (typeof e.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(e.code)) out.code = e.code
  if (typeof e.constraint === 'string' && /^[a-z0-9_]{1,63}$/.test(e.constraint)) out.constraint = e.constraint
  if (typeof e.stack === 'string') {
    // The first line repeats the message; the frames say where, which is what a developer needs.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12)
    if (frames.length) out.stack = frames.map((l) => l.trim()).join('\n')
  }
  return out
}
