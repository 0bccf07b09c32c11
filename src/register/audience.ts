import { AsyncLocalStorage } from 'node:async_hooks'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Role } from '../db/schema.ts'

// Who is reading, for the whole register: the plumbing (the list protocol's CSV export) runs work
// as an export without knowing the privacy feature; the rule itself is src/privacy/visibility.ts.

/**
 * Who is looking: a signed-in role, a visitor of a public page, or an export/mailing (a file or
 * message that leaves the register, whoever makes it).
 */
export type Audience = Role | 'public' | 'export'

/** The reader of this request; a file export or mailing list is `export` whoever asks. */
export function audienceOf(c: Context<AppEnv>): Audience {
  return c.get('user')?.role ?? 'public'
}

const reader = new AsyncLocalStorage<Audience>()

/**
 * The audience of the work in progress: the signed-in role (or `public`) inside a request, `export`
 * inside {@link asExport} and outside any request (jobs, mailings, scripts), the narrowest.
 * Repositories that name people read it by default, so a page or endpoint added later cannot name
 * a hidden person by forgetting to pass its reader along.
 */
export function currentAudience(): Audience {
  return reader.getStore() ?? 'export'
}

/** Runs `fn` as an export (a file or message that leaves the register): nobody hidden is named. */
export function asExport<T>(fn: () => T): T {
  return reader.run('export', fn)
}

/** Every request runs with its reader's audience (mounted after the session is read). */
export const audienceMiddleware: MiddlewareHandler<AppEnv> = (c, next) => reader.run(audienceOf(c), next)
