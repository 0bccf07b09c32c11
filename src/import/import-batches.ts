import { letOthersIn } from '../db/turns.ts'

export { letOthersIn }

/** `list.map(fn)`, letting others in every `size` items: a 50 000-row file is seconds of work. */
export async function mapInTurns<T, U>(list: readonly T[], fn: (item: T, index: number) => U, size = 1000): Promise<U[]> {
  const out: U[] = []
  for (let start = 0; start < list.length; start += size) {
    if (start) await letOthersIn()
    for (let i = start; i < Math.min(start + size, list.length); i++) out.push(fn(list[i]!, i))
  }
  return out
}
