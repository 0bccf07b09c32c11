import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { parse, protocol, type PGlite, type QueryOptions } from '@electric-sql/pglite'
import type pg from 'pg'

/**
 * Statements prepared once per connection, on PostgreSQL and on PGlite.
 *
 * Every statement the app sends over the extended protocol is parsed, analysed and planned anew
 * when it is unnamed: for a list page that was more of the database's time than running it (a
 * contact list's affiliations: 1.3 ms unnamed, 0.8 ms prepared on PostgreSQL; 2.3 and 1.3 ms on
 * PGlite; bench/README.md). A statement sent outside a transaction is therefore sent as a named,
 * prepared statement, its name a hash of its text: the engine parses it once per connection and
 * plans it as its plan cache decides (`plan_cache_mode = auto`: a plan for the values given for
 * the first five runs, then a generic plan only when it is estimated no dearer).
 *
 * Not prepared:
 * - statements inside a transaction (writes, imports, migrations): they are where a schema
 *   changes, and a failed statement there cannot be sent again;
 * - statements holding PLAN_EACH_TIME: a list filter's best plan depends on its value (a county
 *   of 20 people and one of 20 000), a search under three characters has no trigram to look up,
 *   a typo's corrections are in the statement's text: they are planned for their values every
 *   time (a search from three characters on is looked up the same way whatever it is, and is
 *   prepared);
 * - a text the first time a connection sends it: one sent once (a statement with a list of `n`
 *   values has a text for each `n`, some carry literals) would only take a place that a statement
 *   sent again could use.
 *
 * A connection keeps at most MAX_PREPARED statements. To prepare another it closes the one it used
 * least recently, so what is in use stays prepared however long the connection lives, rather than
 * the first texts it happened to see. PGlite's only connection serves every page: a walk through
 * 645 of the app's pages (`npm run bench:walk`) sent 277 texts, 248 of them more than once, which
 * took 11.4 MB of its memory prepared. The cap holds them all with room: at 200, a walk would close
 * and prepare again every text it sends in a cycle longer than the cap.
 *
 * A prepared `select *` fails ("cached plan must not change result type") once its table has
 * gained a column — another instance migrated the database while this one ran. The connection
 * then forgets its statements and sends the statement again, prepared anew; outside a transaction
 * nothing was done, so sending it again is safe.
 *
 * On PostgreSQL, a prepared statement holding ONE_PLAN is run on one plan made for any value (a
 * generic plan), which `auto` does not choose when its estimate is dearer. The global search's
 * nine branches took 1.3–1.6 ms to plan for every search, a fifth to a third of the database's
 * time for it, and the plan made for its values found the same rows the same way (bench/README.md,
 * *One plan for the global search*). The statement runs in a read-only transaction of its own
 * with `set local plan_cache_mode = force_generic_plan`, so no other statement is planned under
 * the setting, behind a transaction-mode pooler too. PGlite leaves the mark alone: there the two
 * more statements are two more turns of its one connection, and side by side the search was no
 * faster with them.
 *
 * DATABASE_PREPARED_STATEMENTS=false turns this off on either engine: for a pooler in transaction
 * mode that does not keep prepared statements (PgBouncer before 1.21, or without
 * `max_prepared_statements`), or to rule it out when a read is slower than it should be.
 */

/** The mark of a statement planned for its values every time (in the text; a comment to the server). */
export const PLAN_EACH_TIME_MARK = '/* planned each time */'
export const PLAN_EACH_TIME = sql.raw(PLAN_EACH_TIME_MARK)

/** The mark of a read run on one plan for every value, once prepared (see above). */
export const ONE_PLAN_MARK = '/* one plan for every value */'
export const ONE_PLAN = sql.raw(ONE_PLAN_MARK)
// In a transaction of its own: a transaction-mode pooler keeps one server connection for a
// transaction, and a setting local to it cannot outlive it, as a session's `set` would on a server
// connection the pooler then gives another client.
// And in one process: at 1 000 000 contacts the generic plan gathered two parallel workers for
// the contacts branch, which found nothing to do once the exact names filled the page — 6 ms of
// starting them in a search of 0.25 (bench/README.md, *No parallel workers for a search*). A
// search answers someone typing, among others: a worker would take a core from another request.
const ONE_PLAN_ON = 'begin read only; set local plan_cache_mode = force_generic_plan; set local max_parallel_workers_per_gather = 0'
const ONE_PLAN_OFF = 'commit'

export const MAX_PREPARED = 500
/** Texts a connection remembers having sent once (then it forgets them all and starts again). */
const SENT_ONCE_LIMIT = 1000

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number]

const RESULT_TYPE_CHANGED = 'cached plan must not change result type'

/**
 * What to send a statement as: its name, the statement to close first to make room for it, and
 * whether it runs on one plan for every value (ONE_PLAN).
 */
interface Named { name: string; close?: string; onePlan: boolean }

const digestOf = (text: string) => createHash('sha1').update(text).digest('base64url')
const onePlan = (text: string) => text.includes(ONE_PLAN_MARK)

/** The names one connection prepared its statements under (a hash of each text), least recently used first. */
class PreparedNames {
  #names = new Map<string, string>()
  #sentOnce = new Set<string>()
  #generation = 0

  /** Increases when the connection forgets every name (see run). */
  get generation(): number {
    return this.#generation
  }

  /** How to send `text`; undefined: unnamed (planned each time, or sent for the first time). */
  of(text: string): Named | undefined {
    const name = this.#names.get(text)
    if (name !== undefined) {
      // The most recently used last.
      this.#names.delete(text)
      this.#names.set(text, name)
      return { name, onePlan: onePlan(text) }
    }
    if (text.includes(PLAN_EACH_TIME_MARK)) return undefined
    // Remembered by its hash: a search's text is kilobytes, and a thousand of them were kept whole.
    const digest = digestOf(text)
    if (!this.#sentOnce.delete(digest)) {
      if (this.#sentOnce.size >= SENT_ONCE_LIMIT) this.#sentOnce.clear()
      this.#sentOnce.add(digest)
      return undefined
    }
    return this.#prepare(text, digest)
  }

  #prepare(text: string, digest = digestOf(text)): Named {
    let close: string | undefined
    if (this.#names.size >= MAX_PREPARED) {
      const [oldest, name] = this.#names.entries().next().value!
      this.#names.delete(oldest)
      close = name
    }
    const name = `navet_${this.#generation}_${digest}`
    this.#names.set(text, name)
    return { name, close, onePlan: onePlan(text) }
  }

  /**
   * Runs `text` prepared as `named` says; when its table's columns changed since, prepares it anew
   * under a new name (the server keeps the old statements until the connection ends).
   */
  async run<T>(text: string, named: Named, send: (named: Named) => Promise<T>): Promise<T> {
    try {
      return await send(named)
    } catch (err) {
      if (!(err instanceof Error && err.message.includes(RESULT_TYPE_CHANGED))) throw err
      this.#names.clear()
      this.#sentOnce.clear()
      this.#generation += 1
      return send(this.#prepare(text))
    }
  }
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown

/** Makes `client` (one of a pool's, once connected) prepare what it sends outside a transaction. */
export function prepareStatements(client: pg.Client): void {
  const send = client.query.bind(client) as Query
  const names = new PreparedNames()
  // pg remembers what it parsed under a name, and would not parse a closed one again.
  const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection?.parsedStatements
  // One at a time, each once the one before has been answered: pg warns when asked while it is
  // busy, and pg 9 will refuse (its queue of waiting queries goes).
  const close = async (name: string) => {
    if (parsed) delete parsed[name]
    // Closing one that failed to parse fails, harmlessly.
    await (send(`deallocate "${name}"`) as Promise<unknown>).catch(() => {})
  }
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    const named = typeof config === 'string' && Array.isArray(values) && callback === undefined && client.getTransactionStatus() === 'I' ? names.of(config) : undefined
    if (named === undefined) return send(config, values, callback)
    return names.run(config as string, named, async (n) => {
      if (n.close) await close(n.close)
      const statement = () => send({ name: n.name, text: config, values }) as Promise<unknown>
      if (!n.onePlan) return statement()
      // The setting holds for this statement only, and ends with its transaction whether the
      // statement succeeds or fails (then `commit` rolls back): the connection goes back to the
      // pool outside a transaction.
      let result: unknown
      try {
        await send(ONE_PLAN_ON)
        result = await statement()
      } catch (err) {
        // Ended whichever failed: a `begin` whose `set` failed leaves a transaction open, and aborted.
        await (send(ONE_PLAN_OFF) as Promise<unknown>).catch(() => {})
        throw err
      }
      await send(ONE_PLAN_OFF)
      return result
    })
  }) as typeof client.query
}

const preparing = new WeakSet<PGlite>()

/**
 * The same on the embedded engine: PGlite's `query()` parses, describes, binds and plans every
 * statement (five turns through the engine). A statement Kysely sends outside a transaction is
 * instead parsed and described once under its name, then bound and run — with PGlite's own locks,
 * serialisers and result parsing, as `query()` does.
 */
export function preparePgliteStatements(pglite: PGlite): void {
  if (preparing.has(pglite)) return
  preparing.add(pglite)
  const query = pglite.query.bind(pglite)
  const names = new PreparedNames()
  // Each prepared statement's parameter types, by name, for the names of `generation`.
  const paramTypes = new Map<string, number[]>()
  let generation = names.generation
  const step = (message: Uint8Array) => pglite.execProtocolStream(message, { syncToFs: false })
  const runPrepared = async ({ name, close }: Named, text: string, params: unknown[]) => {
    await pglite._checkReady()
    return pglite._runExclusiveTransaction(() =>
      pglite.runExclusive(async () => {
        const messages: BackendMessage[] = []
        try {
          if (generation !== names.generation) {
            paramTypes.clear()
            generation = names.generation
          }
          if (close !== undefined) {
            // Closing a statement that is not there (its parse failed) is no error.
            await step(protocol.serialize.close({ type: 'S', name: close }))
            paramTypes.delete(close)
          }
          let types = paramTypes.get(name)
          if (types === undefined) {
            await step(protocol.serialize.parse({ name, text }))
            const described = await step(protocol.serialize.describe({ type: 'S', name }))
            const parameters = described.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined
            types = parameters?.dataTypeIDs ?? []
            paramTypes.set(name, types)
          }
          const typeOf = types
          const values = params.map((v, i) => (v === null || v === undefined ? null : (pglite.serializers[typeOf[i]!] ?? String)(v)))
          messages.push(...(await step(protocol.serialize.bind({ statement: name, values }))))
          messages.push(...(await step(protocol.serialize.describe({ type: 'P' }))))
          messages.push(...(await step(protocol.serialize.execute({}))))
        } finally {
          messages.push(...(await step(protocol.serialize.sync())))
        }
        await pglite.syncToFs()
        return parse.parseResults(messages, pglite.parsers, { rowMode: 'object' })[0]!
      }),
    )
  }
  pglite.query = (async (text: string, params?: unknown[], options?: QueryOptions) => {
    const plain = typeof text === 'string' && Array.isArray(params) && options?.rowMode === 'object' && Object.keys(options).length === 1
    const named = plain && !pglite.closed && !pglite.isInTransaction() ? names.of(text) : undefined
    if (named === undefined) return query(text, params, options)
    return names.run(text, named, (n) => runPrepared(n, text, params!))
  }) as typeof pglite.query
}
