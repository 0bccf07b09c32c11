import { CompiledQuery, Kysely, PostgresDialect, type Compilable } from 'kysely'
import pg from 'pg'
import type { Database } from '../../src/db/schema.ts'

/** A node of a PostgreSQL plan (EXPLAIN in JSON), with the fields the tests look at. */
export interface PlanNode {
  'Node Type': string
  'Parent Relationship'?: string
  'Relation Name'?: string
  Alias?: string
  'Index Name'?: string
  'Index Cond'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  'Plan Width'?: number
  Output?: string[]
  Plans?: PlanNode[]
}

/** The node and every node under it. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)]
}

/** A statement's plan, explained on `db` with these options (`analyze`, `verbose`). */
export async function explain(db: Kysely<Database>, query: CompiledQuery | Compilable<unknown>, ...options: ('analyze' | 'verbose')[]): Promise<PlanNode> {
  const compiled = 'compile' in query ? query.compile() : query
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    CompiledQuery.raw(`explain (${[...options, 'format json'].join(', ')}) ${compiled.sql}`, [...compiled.parameters]),
  )
  return rows[0]!['QUERY PLAN'][0].Plan
}

/**
 * A statement's plan as a prepared statement's generic plan, the one the app runs where it keeps one
 * plan for every value (src/db/prepared.ts): planned without the parameters' values, it may differ
 * from the plan `explain` shows for them. Analysed, with these values. PostgreSQL 15 has no
 * `explain (generic_plan)`: prepared in a transaction of its own, and deallocated. The values are
 * written as text literals: strings and numbers only.
 */
export async function explainGeneric(db: Kysely<Database>, query: Compilable<unknown>): Promise<PlanNode> {
  const compiled = query.compile()
  const values = compiled.parameters.map((p) => `'${String(p).replaceAll("'", "''")}'`).join(', ')
  return db.transaction().execute(async (tx) => {
    await tx.executeQuery(CompiledQuery.raw('set local plan_cache_mode = force_generic_plan'))
    await tx.executeQuery(CompiledQuery.raw(`prepare generic_plan as ${compiled.sql}`))
    try {
      const { rows } = await tx.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(CompiledQuery.raw(`explain (analyze, format json) execute generic_plan(${values})`))
      return rows[0]!['QUERY PLAN'][0].Plan
    } finally {
      // A prepared statement outlives a transaction rolled back.
      await tx.executeQuery(CompiledQuery.raw('deallocate generic_plan')).catch(() => {})
    }
  })
}

/**
 * The PostgreSQL database at `url` through a Kysely of its own that writes down every statement it
 * runs into `captured`, with its parameters: the app's own SQL, to explain. Its own connections,
 * so its own caches where the app keeps them per database handle. Destroy it after.
 *
 * A connection's own 'error' event is listened to, as the app's pool does (src/db/connect.ts): the
 * pool's end does not wait for its connections to close, and the test database dropped right after
 * (`with (force)`) terminated one still closing — unheard, an unhandled error that failed the run
 * (CI, 2026-12-07). A query on a connection that fails still fails itself.
 */
export function capturing(url: string, captured: CompiledQuery[]): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const ignore = () => {}
  pool.on('error', ignore)
  pool.on('connect', (client) => client.on('error', ignore))
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query)
    },
  })
}
