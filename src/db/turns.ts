import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Between two batches of a long job: every request that came in meanwhile runs its handler and
 * queues for the database (the embedded one has a single connection, handed out in turn)
 * before the job asks for it again. Without it a job that asks again at once keeps the
 * connection: a page asked for during the demo load waited for the whole load.
 */
export async function letOthersIn(): Promise<void> {
  await nextTurn()
  await new Promise((resolve) => setTimeout(resolve, 1))
}

/**
 * Whether a long read goes statement by statement rather than in one transaction: on the embedded
 * engine a transaction holds the one connection to its end, and every other request waits for it
 * (the dashboard's recount, the network graph; bench/README.md). PostgreSQL's pool serves others
 * meanwhile, so there such reads keep their one snapshot.
 */
export const readInTurns = (engine: 'pglite' | 'postgres'): boolean => engine === 'pglite'
