import { FOLDED_LETTERS } from '../../migrations/20261206T1620_search_text_letters.ts'

const MARKS = /\p{M}/gu
const LETTERS = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'gu')

/**
 * Text as it is searched: marks taken off (é → e, ö → o, å → a), lower case, and the letters that
 * are not a letter and a mark folded as the database's unaccent folds them (ø → o, æ → ae, ß → ss:
 * FOLDED_LETTERS), so that the stored text, the query and the database's own fold (the rank, the
 * exact-name indexes) agree on a name.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(LETTERS, (l) => FOLDED_LETTERS[l]!)
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
