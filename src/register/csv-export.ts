/** Every page of a keyset listing, for exports of a whole filtered list. */
export async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ data: T[]; next_cursor: string | null }>,
  max = 200_000,
): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  do {
    const page = await fetch(cursor)
    out.push(...page.data)
    cursor = page.next_cursor ?? undefined
  } while (cursor && out.length < max)
  return out
}
