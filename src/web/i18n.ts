import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { en, sv, type MessageKey } from './i18n/catalogue.ts'

export type Lang = 'sv' | 'en'
export const LANGS: readonly Lang[] = ['sv', 'en']
export type { MessageKey }
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

const catalogues: Record<Lang, Record<string, string>> = { sv, en }

/**
 * A message with a number `{count}` may have plural forms beside it, `<key>.one` (and any other
 * CLDR category the language has, `<key>.few` …): the form Intl.PluralRules picks for the count
 * is used, else the message itself, which is the `other` form ("1 träff", "2 träffar"). A message
 * with several numbers is made of one plural message per number.
 */
export function translator(lang: Lang): Translate {
  const messages: Record<string, string> = catalogues[lang]
  const rules = new Intl.PluralRules(lang)
  return (key, params) => {
    const count = params?.count
    const form = typeof count === 'number' ? `${key}.${rules.select(count)}` : undefined
    const text = (form !== undefined ? messages[form] : undefined) ?? messages[key] ?? key
    if (!params) return text
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  }
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(sv, key)
}

/**
 * Services name a field's problem by catalogue key (`ValidationError({ name: 'theme.name_taken' })`)
 * and never see the reader's language: the edge — the error handler, a form's save — translates,
 * once. A value that is no key (already words) passes as it is.
 */
export function translateFields(fields: Record<string, string>, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, isMessageKey(v) ? t(v) : v]))
}

/** Accept-Language → the best language we speak, by quality. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1 }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q)
  return ranked.find((r): r is { lang: Lang; q: number } => LANGS.includes(r.lang as Lang))?.lang
}

const isLang = (v: string | undefined): v is Lang => v === 'sv' || v === 'en'

/**
 * `?lang=` decides this response and sets the cookie (so a shared `/ideas?lang=en` is English
 * for a client that keeps no cookies); then the cookie, Accept-Language, and Swedish. A page is
 * handed its request without `lang`, so no page's own query parameters see it.
 */
export const language: MiddlewareHandler = async (c, next) => {
  const asked = c.req.query('lang')
  let lang: Lang
  if (isLang(asked)) {
    lang = asked
    setCookie(c, 'lang', lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600, httpOnly: true })
  } else {
    const cookie = getCookie(c, 'lang')
    lang = isLang(cookie) ? cookie : (fromAcceptLanguage(c.req.header('accept-language')) ?? 'sv')
  }
  if (asked !== undefined && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    const url = new URL(c.req.url)
    url.searchParams.delete('lang')
    const raw = c.req.raw
    c.req.raw = new Request(url, { method: raw.method, headers: raw.headers, signal: raw.signal })
  }
  c.set('lang', lang)
  // The language asked for in this very request (a CSV for Swedish Excel is asked for so).
  c.set('langAsked', isLang(asked) ? asked : undefined)
  c.set('t', translator(lang))
  c.header('Content-Language', lang)
  c.header('Vary', 'Accept-Language, Cookie', { append: true })
  await next()
}

export function t(c: Context, key: MessageKey, params?: Record<string, string | number>): string {
  return (c.get('t') as Translate)(key, params)
}
