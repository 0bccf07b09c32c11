import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import { ValidationError } from '../web/errors.ts'

/** Keyset cursor: the (sort key, id) of the last row on the page, opaque to clients. */
export function encodeCursor(sortKey: string, id: string): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([sortKey, id])))
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(cursor)))
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string]
    }
  } catch {
    // fall through
  }
  throw new ValidationError({ cursor: 'invalid cursor' })
}

export interface Page<T> {
  data: T[]
  next_cursor: string | null
}

/** Rows were fetched with limit + 1: the extra one only tells that there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => [string, string]): Page<T> {
  const data = rows.slice(0, limit)
  const last = data.at(-1)
  return { data, next_cursor: rows.length > limit && last ? encodeCursor(...keyOf(last)) : null }
}
