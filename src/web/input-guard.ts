import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { ValidationError } from './errors.ts'

/**
 * Text the database can store: no NUL (PostgreSQL refuses it in text) and no lone UTF-16
 * surrogate (it cannot be encoded as UTF-8).
 */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The first field (dotted path) of a parsed JSON value whose key or text cannot be stored. */
export function badTextField(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || '_'
  if (typeof value !== 'object' || value === null) return null
  for (const [key, v] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key
    if (!isStorableText(key)) return path || '_'
    const bad = badTextField(v, here)
    if (bad) return bad
  }
  return null
}

/** Percent-decoding (with `+` as a space) that refuses, rather than replaces, what cannot be stored. */
function strictDecode(s: string): string | undefined {
  try {
    const text = decodeURIComponent(s.replaceAll('+', ' '))
    return isStorableText(text) ? text : undefined
  } catch {
    return undefined
  }
}

/**
 * `a=b&c=d` (a query string or an urlencoded form) decoded strictly, in order: invalid
 * percent-encoding, bytes that are not UTF-8, NUL or a lone surrogate stop the reading and `bad`
 * names the field ('_' for a key). The one decoder of the input guard and of queryOf.
 */
export function decodeFormStrictly(encoded: string): { pairs: [string, string][]; bad: string | null } {
  const pairs: [string, string][] = []
  for (const pair of encoded.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const key = strictDecode(eq < 0 ? pair : pair.slice(0, eq))
    if (key === undefined) return { pairs, bad: '_' }
    const value = strictDecode(eq < 0 ? '' : pair.slice(eq + 1))
    if (value === undefined) return { pairs, bad: key }
    pairs.push([key, value])
  }
  return { pairs, bad: null }
}

/** The first field of `a=b&c=d` whose name or value cannot be decoded and stored, or null. */
export function badFormField(encoded: string): string | null {
  return decodeFormStrictly(encoded).bad
}

const CRLF_CRLF = Buffer.from('\r\n\r\n')

/**
 * The first text field (a part without a filename) of a multipart/form-data body whose name or
 * value is not valid UTF-8, '_' for a name or a part that cannot be read, or null. Files are
 * bytes and are not looked at (an import decodes its own, UTF-16 included).
 */
export function badMultipartText(body: Uint8Array, contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType)
  const boundary = m?.[1] ?? m?.[2]
  if (!boundary) return null // no parts to read: the body parser refuses it
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const delimiter = Buffer.from(`--${boundary}`)
  let at = bytes.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.length
    if (bytes[start] === 0x2d && bytes[start + 1] === 0x2d) return null // the closing delimiter
    const headEnd = bytes.indexOf(CRLF_CRLF, start)
    if (headEnd < 0) return null
    const next = bytes.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd + 4)
    const content = bytes.subarray(headEnd + 4, next < 0 ? bytes.length : next)
    let head: string
    try {
      head = utf8.decode(bytes.subarray(start, headEnd))
    } catch {
      return '_'
    }
    const disposition = /^content-disposition:([^\r\n]*)/im.exec(head)?.[1] ?? ''
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(disposition)?.[1] ?? '_'
    if (!/;\s*filename\*?=/i.test(disposition)) {
      try {
        utf8.decode(content)
      } catch {
        return name
      }
    }
    if (next < 0) return null
    at = next + 2
  }
  return null
}

function mediaType(header: string | undefined): string {
  return header?.split(';')[0]?.trim().toLowerCase() ?? ''
}

/**
 * Once for every request, before any route: a query string, JSON body or form whose text holds
 * NUL, a lone surrogate or invalid UTF-8 is a `validation` error naming the field. Per-schema
 * checks would miss a field someone forgets; the database's own refusal would be a 500 whose
 * driver error echoes the values.
 */
export function rejectUnstorableText(skipBody: (method: string, path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url
    const q = url.indexOf('?')
    const fail = (field: string) => new ValidationError({ [field]: c.get('t')('validation.invalid_text') })
    if (q >= 0) {
      const bad = badFormField(url.slice(q + 1).split('#')[0] ?? '')
      if (bad) throw fail(bad)
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !skipBody(c.req.method, c.req.path)) {
      const type = mediaType(c.req.header('content-type'))
      if (type === 'application/json' || type === 'application/x-www-form-urlencoded') {
        let text: string
        try {
          text = utf8.decode(await c.req.arrayBuffer())
        } catch {
          throw fail('_')
        }
        if (type === 'application/x-www-form-urlencoded') {
          const bad = badFormField(text)
          if (bad) throw fail(bad)
        } else {
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch {
            parsed = undefined // malformed JSON is the route validator's to refuse
          }
          const bad = badTextField(parsed)
          if (bad) throw fail(bad)
        }
      } else if (type === 'multipart/form-data') {
        // FormData decodes a text field's bytes with U+FFFD for what is not UTF-8: read them first.
        const badBytes = badMultipartText(new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-type') ?? '')
        if (badBytes) throw fail(badBytes)
        let body: Record<string, unknown>
        try {
          body = await c.req.parseBody({ all: true })
        } catch {
          throw fail('_')
        }
        for (const [key, value] of Object.entries(body)) {
          const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
          if (!isStorableText(key)) throw fail('_')
          if (texts.some((t) => !isStorableText(t))) throw fail(key)
        }
      }
    }
    await next()
  }
}
