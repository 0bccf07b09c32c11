import { AsyncLocalStorage } from 'node:async_hooks'
import type { KyselyPlugin } from 'kysely'
import { notBehindOthers } from './turns.ts'

/**
 * A read whose client has gone stops at its next query.
 *
 * A page that takes many queries (the dashboard) and whose reader left — a user who navigated
 * away, a client that timed out — otherwise runs every query to the end, and on the embedded
 * engine's one connection everyone behind it waits for answers nobody will read (bench/README.md,
 * Load). @hono/node-server aborts the request's signal when the client goes before the answer is
 * complete; every query of a GET or HEAD request checks that signal before it takes its turn.
 *
 * Only reads: a write runs to its end whoever waits for it (a route that writes twice outside one
 * transaction must not stop halfway because its client left). A read that writes on the side
 * (a plan promoted when complete, an audited view) stops with its transaction rolled back.
 *
 * The check is a Kysely plugin (`transformQuery` runs when a query is compiled, before it asks for
 * a connection): throwing from the driver's `acquireConnection` instead would leave Kysely's
 * single-connection mutex held for good.
 */
const readOf = new AsyncLocalStorage<AbortSignal | undefined>()

export class ClientGoneError extends Error {
  constructor() {
    super('the client went away before the answer; the rest of its read was not run')
    this.name = 'ClientGoneError'
  }
}

/** Runs a request's handlers so that its queries stop once `signal` is aborted. */
export function stoppedWhenAborted<T>(signal: AbortSignal, fn: () => T): T {
  return readOf.run(signal, fn)
}

/**
 * Runs work a request starts but that must not stop with it: a computation other requests share
 * (a cached result, a graph layout) or work that goes on after the answer (an import's batches).
 * Not behind others either (src/db/turns.ts), though its starter was: whoever joins it must not
 * wait as if behind; a shared read meant to be behind others says so inside.
 */
export function outlivesRequest<T>(fn: () => T): T {
  return readOf.run(undefined, () => notBehindOthers(fn))
}

/** Whether the client of the work in progress has gone (false outside a request). */
export function clientGone(): boolean {
  return readOf.getStore()?.aborted ?? false
}

/** The query-time check, on every Kysely instance of the app (src/db/connect.ts). */
export const stopQueriesOfGoneClients: KyselyPlugin = {
  transformQuery(args) {
    if (clientGone()) throw new ClientGoneError()
    return args.node
  },
  async transformResult(args) {
    return args.result
  },
}
