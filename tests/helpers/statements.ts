import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.ts'

/**
 * The database as the app sees it, with the SQL of every statement it runs written down in order
 * (compiled when transformed, so also for raw `sql` statements; recorded when its result arrives).
 */
export function recordStatements(db: Kysely<Database>): { db: Kysely<Database>; ran: string[] } {
  const ran: string[] = []
  const executor = db.getExecutor()
  const compiled = new WeakMap<object, string>()
  const watched = db.withPlugin({
    transformQuery: (args) => {
      compiled.set(args.queryId, executor.compileQuery(args.node, args.queryId).sql)
      return args.node
    },
    transformResult: async (args) => {
      ran.push(compiled.get(args.queryId) ?? '?')
      return args.result
    },
  })
  return { db: watched, ran }
}
