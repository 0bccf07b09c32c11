import { FOLDED_LETTERS } from '../../migrations/20261206T1620_search_text_letters.ts'
import { MORE_FOLDED_LETTERS } from '../../migrations/20261206T1740_search_text_more_letters.ts'

/** The letters taking marks off leaves and unaccent folds, as it folds them: each migration's, whose text it rewrote. */
export const FOLDED: Readonly<Record<string, string>> = { ...FOLDED_LETTERS, ...MORE_FOLDED_LETTERS }

const MARKS = /\p{M}/gu
const LETTERS = new RegExp(`[${Object.keys(FOLDED).join('')}]`, 'gu')

/**
 * Text as it is searched: marks taken off (é → e, ö → o, å → a), lower case, and the letters that
 * are not a letter and a mark folded as the database's unaccent folds them (ø → o, æ → ae, ß → ss:
 * FOLDED), so that the stored text, the query and the database's own fold (the rank, the
 * exact-name indexes) agree on a name.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(LETTERS, (l) => FOLDED[l]!)
}

/**
 * The text searched with trigrams: folded (foldText), spaces single.
 * Made in one place so that stored text and the query are folded the same way.
 */
export function foldForSearch(...parts: (string | null | undefined)[]): string {
  return foldText(parts.filter((p): p is string => !!p).join(' '))
    .replace(/\s+/g, ' ')
    .trim()
}
