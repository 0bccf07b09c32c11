import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Between two batches of a long job: every request that came in meanwhile runs its handler and
 * queues for the database (the embedded one has a single connection, handed out in turn)
 * before the job asks for it again.
 */
export async function letOthersIn(): Promise<void> {
  await nextTurn()
  await new Promise((resolve) => setTimeout(resolve, 1))
}

/** `list.map(fn)`, letting others in every `size` items: a 50 000-row file is seconds of work. */
export async function mapInTurns<T, U>(list: readonly T[], fn: (item: T, index: number) => U, size = 1000): Promise<U[]> {
  const out: U[] = []
  for (let start = 0; start < list.length; start += size) {
    if (start) await letOthersIn()
    for (let i = start; i < Math.min(start + size, list.length); i++) out.push(fn(list[i]!, i))
  }
  return out
}
