type Params = Record<string, string | string[]>
type Changes = Record<string, string | readonly string[] | null | undefined>

/** Query parameters of the list protocol itself; every other parameter is a filter. */
const PROTOCOL = new Set(['sort', 'dir', 'limit', 'cursor', 'format', 'deleted'])

/**
 * Every link of a list — sort headers, next and first page, filter chips, the CSV export — built
 * from the request's own query, so a view never names a filter and no link drops one. The
 * cursor and the format are the only parameters a link does not carry on unless it sets them.
 *
 * In a view (`it.list`): `list.sort('name')` → `{ href, active, ariaSort, arrow }`,
 * `list.next(page.next_cursor)`, `list.first()`, `list.csv()`, `list.without('tag', 'x')`,
 * `list.href({ any: 'change' })` (null removes), `list.filtered` (any filter set).
 */
export function listLinks(path: string, params: Params, current: { sort: string; dir: 'asc' | 'desc' }) {
  const href = (changes: Changes = {}) => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) {
      if (k === 'cursor' || k === 'format' || k in changes) continue
      for (const x of [v].flat()) p.append(k, x)
    }
    for (const [k, v] of Object.entries(changes)) if (v != null) for (const x of [v].flat()) p.append(k, x)
    const s = p.toString()
    return s ? `${path}?${s}` : path
  }
  return {
    href,
    sort(column: string) {
      const active = current.sort === column
      const asc = current.dir === 'asc'
      return {
        href: href({ sort: column, dir: active && asc ? 'desc' : 'asc' }),
        active,
        ariaSort: active ? (asc ? 'ascending' : 'descending') : undefined,
        arrow: active ? (asc ? ' ▲' : ' ▼') : '',
      }
    },
    /**
     * A parameter as the request gave it ('' when it did not): a form that carries the order on
     * carries only an order the reader chose. The resolved default (name) in a search box's form
     * sent every search from the page in name order instead of by relevance.
     */
    asked: (name: string): string => [params[name] ?? ''].flat()[0] ?? '',
    next: (cursor: string) => href({ cursor }),
    first: () => href(),
    csv: () => href({ format: 'csv' }),
    /** The list without one value of a filter (or the whole filter): a chip's "remove" link. */
    without(name: string, value?: string) {
      const kept = value === undefined ? [] : [params[name] ?? []].flat().filter((v) => v !== value)
      return href({ [name]: kept.length ? kept : null })
    },
    filtered: Object.keys(params).some((k) => !PROTOCOL.has(k)),
  }
}

export type ListLinks = ReturnType<typeof listLinks>

/** Only these parameters of a query (a public list keeps others out of its links). */
export function pickKeys(params: Params, keys: readonly string[]): Params {
  return Object.fromEntries(Object.entries(params).filter(([k]) => keys.includes(k)))
}
