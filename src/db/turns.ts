import { AsyncLocalStorage } from 'node:async_hooks'
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

const behind = new AsyncLocalStorage<true>()

/**
 * Runs a long read in turns behind everyone else's requests (the embedded engine: the network
 * graph, the dashboard's recount). In turns, every statement queued for the one connection in
 * order of asking, so a contacts list of four statements waited behind up to four of the graph's,
 * each up to a second on a national register (bench/README.md, *Long reads behind others*).
 * Behind others, each of the read's statements waits (ConnectionTurns) until no other request's
 * statement is waiting or has just run (it is probably about to ask again), or BEHIND_AT_MOST_MS
 * have passed: under a steady load the read still goes on, one statement at least that often.
 */
export function behindOthers<T>(read: () => Promise<T>): Promise<T> {
  return behind.run(true, read)
}

/** Runs `fn` at everyone's priority, though called from a read behind others. */
export function notBehindOthers<T>(fn: () => T): T {
  return behind.exit(fn)
}

const isBehindOthers = (): boolean => behind.getStore() === true

/** How long one statement of a read behindOthers waits for others at most. */
export const BEHIND_AT_MOST_MS = 250
/** After another request's statement, how long it is taken to be about to ask again. */
const OTHERS_GAP_MS = 5

interface Waiter {
  since: number
  go: () => void
}

/**
 * The embedded engine's one connection, held by one statement (or transaction) at a time: first
 * the statements of requests in the order they asked, then those of reads behindOthers. Each
 * holder begins in a turn of the event loop of its own (src/db/connect.ts).
 */
export class ConnectionTurns {
  #held = false
  #others: Waiter[] = []
  #behind: Waiter[] = []
  #othersLetGoAt = 0
  #heldByOthers = false
  #timer: NodeJS.Timeout | undefined

  async take(): Promise<void> {
    const behindOthers = isBehindOthers()
    await new Promise<void>((go) => {
      ;(behindOthers ? this.#behind : this.#others).push({ since: performance.now(), go: () => (this.#hold(behindOthers), go()) })
      // Behind others, even an idle connection is taken only after a turn of the event loop: a
      // request that asks in this turn goes first.
      if (behindOthers) setImmediate(() => this.#next())
      else this.#next()
    })
    await nextTurn()
  }

  give(): void {
    this.#held = false
    if (this.#heldByOthers) this.#othersLetGoAt = performance.now()
    this.#next()
  }

  #hold(behindOthers: boolean) {
    this.#held = true
    this.#heldByOthers = !behindOthers
  }

  #next() {
    if (this.#held) return
    const overdue = this.#behind[0] && performance.now() - this.#behind[0].since >= BEHIND_AT_MOST_MS
    if (this.#others.length > 0 && !overdue) return this.#others.shift()!.go()
    if (this.#behind.length === 0) return
    if (overdue || performance.now() - this.#othersLetGoAt >= OTHERS_GAP_MS) return this.#behind.shift()!.go()
    // Another request let go a moment ago and may ask again: look once more when the gap is past.
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#next(), OTHERS_GAP_MS).unref()
  }
}
