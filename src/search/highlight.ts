import { foldText } from '../register/search-text.ts'

/**
 * Marks where a query matched a text, the way the database matched it: accents and case
 * folded, a word that shares its stem with a query word (länsstyrelser ~ Länsstyrelsen), and a
 * word a typo away (Migrationsverkt ~ Migrationsverket). Plain parts, never HTML: the view
 * wraps the hits in <mark> and escapes the text.
 */
export interface SnippetPart {
  text: string
  hit: boolean
}

const WORD = /[\p{L}\p{N}]+/gu

/** The text folded as foldForSearch folds it, with each folded index pointing back into the original. */
function foldWithMap(text: string): { folded: string; start: number[]; end: number[] } {
  let folded = ''
  const start: number[] = []
  const end: number[] = []
  let i = 0
  for (const ch of text) {
    const f = foldText(ch)
    for (let k = 0; k < f.length; k++) {
      start.push(i)
      end.push(i + ch.length)
    }
    folded += f
    i += ch.length
  }
  return { folded, start, end }
}

function trigrams(word: string): Set<string> {
  const padded = `  ${word} `
  const out = new Set<string>()
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  return out
}

/** pg_trgm's similarity of two words. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a)
  const tb = trigrams(b)
  let shared = 0
  for (const t of ta) if (tb.has(t)) shared++
  return shared / (ta.size + tb.size - shared)
}

function commonPrefix(a: string, b: string): number {
  let n = 0
  while (n < a.length && n < b.length && a[n] === b[n]) n++
  return n
}

/** Same stem or one typo: long enough shared beginning, or close in trigrams. */
function nearWord(word: string, token: string): boolean {
  if (token.length < 4 || word.length < 4) return false
  const shorter = Math.min(word.length, token.length)
  if (commonPrefix(word, token) >= Math.max(4, shorter - 3)) return true
  return trigramSimilarity(word, token) >= 0.5
}

type Range = [number, number]

/** Ranges of the folded text that the folded query matches. */
function hitRanges(folded: string, query: string): Range[] {
  const ranges: Range[] = []
  const find = (needle: string) => {
    let found = false
    for (let at = folded.indexOf(needle); needle && at >= 0; at = folded.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length])
      found = true
    }
    return found
  }
  const tokens = query.split(' ').map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean)
  find(query)
  const words = [...folded.matchAll(WORD)]
  for (const token of tokens) {
    if (token.length < 2 && tokens.length > 1) continue
    if (find(token)) continue
    for (const w of words) if (nearWord(w[0], token)) ranges.push([w.index, w.index + w[0].length])
  }
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Range[] = []
  for (const r of ranges) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

/**
 * `text` cut to about `max` characters around the first hit, split into plain and hit parts.
 * `query` is folded already (foldForSearch).
 */
export function highlight(text: string, query: string, max = 160): SnippetPart[] {
  const { folded, start, end } = foldWithMap(text)
  const ranges = hitRanges(folded, query).map(([a, b]): Range => [start[a]!, end[b - 1]!])
  let from = 0
  let to = text.length
  if (text.length > max) {
    const first = ranges[0]?.[0] ?? 0
    from = first > max / 3 ? text.lastIndexOf(' ', first - Math.floor(max / 4)) + 1 : 0
    to = Math.min(text.length, from + max)
    const cut = text.lastIndexOf(' ', to)
    if (to < text.length && cut > from + max / 2) to = cut
  }
  const parts: SnippetPart[] = []
  const push = (s: string, hit: boolean) => {
    if (!s) return
    const last = parts.at(-1)
    if (last && last.hit === hit) last.text += s
    else parts.push({ text: s, hit })
  }
  if (from > 0) push('…', false)
  let at = from
  for (const [a, b] of ranges) {
    if (b <= from || a >= to) continue
    const s = Math.max(a, from)
    const e = Math.min(b, to)
    push(text.slice(at, s), false)
    push(text.slice(s, e), true)
    at = e
  }
  push(text.slice(at, to), false)
  if (to < text.length) push('…', false)
  return parts
}

export const plainText = (parts: SnippetPart[]): string => parts.map((p) => p.text).join('')
