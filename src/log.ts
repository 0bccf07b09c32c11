import pino, { type Logger } from 'pino'

/** Structured JSON logs. Never log bodies, query strings, cookies or headers: they carry personal data and secrets. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', 'cookie', '*.authorization', '*.cookie', 'email', '*.email'],
      censor: '[redacted]',
    },
  })
}
