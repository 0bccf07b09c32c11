/**
 * The text searched with trigrams: lower case, accents folded (ö → o, å → a), spaces single.
 * Made in one place so that stored text and the query are folded the same way.
 */
export function foldForSearch(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p)
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}
