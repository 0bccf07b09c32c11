import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type pg from 'pg'

/**
 * Statements prepared once per connection on PostgreSQL.
 *
 * Every statement the app sends over the extended protocol is parsed, analysed and planned anew
 * when it is unnamed: for a list page that was half of what the database server spent on it
 * (0.5 of 1.3 ms for a contact list's affiliations, bench/README.md). A statement sent outside
 * a transaction is therefore sent as a named, prepared statement, its name a hash of its text:
 * the server parses it once per connection and plans it as PostgreSQL's plan cache decides
 * (`plan_cache_mode = auto`: a plan for the values given for the first five runs, then a generic
 * plan only when it is estimated no dearer).
 *
 * Not prepared:
 * - statements inside a transaction (writes, imports, migrations): they are where a schema
 *   changes, and a failed statement there cannot be sent again;
 * - statements holding PLAN_EACH_TIME: a search pattern's best plan depends on the pattern
 *   (a rare name and a common one), so they are planned for their values every time;
 * - texts beyond the first MAX_PREPARED of a connection (a statement with a list of `n` values
 *   has a text for each `n`): the server keeps each prepared statement for the connection's life.
 *
 * A prepared `select *` fails ("cached plan must not change result type") once its table has
 * gained a column — another instance migrated the database while this one ran. The connection
 * then forgets its statements and sends the statement again, prepared anew; outside a transaction
 * nothing was done, so sending it again is safe.
 *
 * DATABASE_PREPARED_STATEMENTS=false turns this off, for a pooler in transaction mode that does
 * not keep prepared statements (PgBouncer before 1.21, or without `max_prepared_statements`).
 */

/** The mark of a statement planned for its values every time (in the text; a comment to the server). */
export const PLAN_EACH_TIME_MARK = '/* planned each time */'
export const PLAN_EACH_TIME = sql.raw(PLAN_EACH_TIME_MARK)

export const MAX_PREPARED = 200

const RESULT_TYPE_CHANGED = 'cached plan must not change result type'

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown

/** Makes `client` (one of a pool's, once connected) prepare what it sends outside a transaction. */
export function prepareStatements(client: pg.Client): void {
  const send = client.query.bind(client) as Query
  const names = new Map<string, string>()
  let generation = 0
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text)
    if (name === undefined && names.size < MAX_PREPARED && !text.includes(PLAN_EACH_TIME_MARK)) {
      name = `navet_${generation}_${createHash('sha1').update(text).digest('base64url')}`
      names.set(text, name)
    }
    return name
  }
  const prepared = async (name: string, text: string, values: unknown[]) => {
    try {
      return await send({ name, text, values })
    } catch (err) {
      if (!(err instanceof Error && err.message.includes(RESULT_TYPE_CHANGED))) throw err
      // The server keeps the old statements under the old names until the connection ends.
      names.clear()
      generation += 1
      return send({ name: nameOf(text), text, values })
    }
  }
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || !Array.isArray(values) || callback !== undefined || client.getTransactionStatus() !== 'I') {
      return send(config, values, callback)
    }
    const name = nameOf(config)
    return name === undefined ? send(config, values) : prepared(name, config, values)
  }) as typeof client.query
}
