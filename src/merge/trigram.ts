/**
 * Trigram similarity as PostgreSQL's pg_trgm computes it — each word padded with two spaces in
 * front and one behind, similarity = shared trigrams / all trigrams — over whole sets of names
 * at once. Asked one name at a time, the database walks the trigram index's posting lists for
 * every common trigram: a register with 300 "Integrationsenheten i …" takes minutes for an
 * import or the duplicates list. Here the classic prefix filter (AllPairs) finds the same
 * matches exactly: two sets with Jaccard similarity ≥ t must share one of the rarest
 * |A| − ⌈t·|A|⌉ + 1 trigrams of each.
 */
export function trigrams(folded: string): string[] {
  const out = new Set<string>()
  for (const word of folded.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue
    const chars = [...`  ${word} `]
    for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!)
  }
  return [...out]
}

export function similarity(a: string, b: string): number {
  const [x, y] = [new Set(trigrams(a)), trigrams(b)]
  if (!x.size || !y.length) return 0
  const shared = y.filter((g) => x.has(g)).length
  return shared / (x.size + y.length - shared)
}

export interface Named {
  id: string
  label: string
  /** Lower case, accents off (foldForSearch). */
  folded: string
}

export interface Match<T extends Named> {
  item: T
  score: number
}

/** An index over `items` answering "which are at least `threshold` similar to this name?". */
export function trigramIndex<T extends Named>(items: readonly T[], threshold: number) {
  // Trigrams as numbers, rarest first: sets become sorted arrays, compared by a merge.
  const frequency = new Map<string, number>()
  const grams = items.map((i) => trigrams(i.folded))
  for (const g of grams) for (const t of g) frequency.set(t, (frequency.get(t) ?? 0) + 1)
  const ranked = [...frequency.keys()].sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : 1))
  const rank = new Map(ranked.map((t, i) => [t, i]))
  // A trigram no indexed name has cannot be shared; it still counts in the query's size.
  const encode = (g: string[]) => Int32Array.from(g.map((t) => rank.get(t) ?? -1)).sort()
  const sets = grams.map(encode)
  const prefixLength = (n: number) => n - Math.ceil(threshold * n - 1e-9) + 1
  const postings = new Map<number, number[]>()
  sets.forEach((set, i) => {
    for (const t of set.subarray(0, prefixLength(set.length))) {
      const list = postings.get(t)
      if (list) list.push(i)
      else postings.set(t, [i])
    }
  })
  const shared = (a: Int32Array, b: Int32Array) => {
    let [i, j, n] = [0, 0, 0]
    while (i < a.length && j < b.length) {
      if (a[i]! < b[j]!) i++
      else if (a[i]! > b[j]!) j++
      else if (a[i++]! >= 0) (n++, j++)
      else j++
    }
    return n
  }

  /** The items at least `threshold` similar to `folded`, best first; `skip` leaves some out (the name itself). */
  function matches(folded: string, limit = 3, skip?: (item: T) => boolean): Match<T>[] {
    const q = encode(trigrams(folded))
    if (!q.length) return []
    const seen = new Set<number>()
    const out: Match<T>[] = []
    for (const t of q.subarray(0, prefixLength(q.length))) {
      for (const i of postings.get(t) ?? []) {
        if (seen.has(i)) continue
        seen.add(i)
        const set = sets[i]!
        // Sizes alone can rule a pair out: similarity ≤ min/max.
        if (Math.min(set.length, q.length) < threshold * Math.max(set.length, q.length) - 1e-9) continue
        const item = items[i]!
        if (skip?.(item)) continue
        const n = shared(q, set)
        const score = n / (q.length + set.length - n)
        if (score >= threshold - 1e-9) out.push({ item, score })
      }
    }
    return out.sort((a, b) => b.score - a.score || a.item.label.localeCompare(b.item.label, 'sv')).slice(0, limit)
  }

  return { matches }
}
