import { Eta } from 'eta'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { VIEWS_DIR } from '../paths.ts'
import { hasRole } from '../auth/roles.ts'
import type { Role } from '../db/schema.ts'
import { takeFlash } from './flash.ts'
import { isPartial } from './htmx.ts'
import { isMessageKey } from './i18n.ts'
import { formatDate, formatDateTime } from './format.ts'
import { formatPhone } from '../register/phone.ts'
import { navigation, navSections } from './nav.ts'
import { pickTexts } from './pick.ts'

/**
 * Templates are read and compiled once, on first use — except with NODE_ENV=development, where an
 * edited view shows at the next request. Cached only under NODE_ENV=production before, `npm start`
 * read and compiled every page's views again for every request: a tenth of a contact page's time
 * on the embedded engine (bench/README.md, *Templates compiled once*).
 */
export const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: process.env.NODE_ENV !== 'development' })

// htmx may not evaluate code or run scripts from responses; its history cache would keep
// personal data in localStorage, so it is off. 422/409 carry forms with messages: swap them.
const htmxConfig = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '409', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
})

export type ViewData = Record<string, unknown> & { title?: string }

function baseData(c: Context<AppEnv>, data: ViewData) {
  const user = c.get('user')
  const t = c.get('t')
  const prefix = typeof data.labelPrefix === 'string' ? data.labelPrefix : ''
  return {
    ...data,
    t,
    /** A field's label for the timeline: `<labelPrefix><field>` from the catalogue, else the field name. */
    fieldLabel: (field: string) => {
      const key = `${prefix}${field}`
      return isMessageKey(key) ? t(key) : field.replace(/_/g, ' ')
    },
    lang: c.get('lang'),
    user,
    path: c.req.path,
    /** What each record picker showed when the form was sent (src/web/pick.ts). */
    pickTexts: pickTexts(c),
    formatDate,
    formatDateTime,
    formatPhone,
    hasRole: (role: Role) => (user ? hasRole(user.role, role) : false),
  }
}

/** Renders `view` alone for an htmx fragment request, inside the layout otherwise. */
export function render(c: Context<AppEnv>, view: string, data: ViewData = {}, status = 200): Response {
  c.header('Vary', 'HX-Request', { append: true })
  const ctx = baseData(c, data)
  const body = eta.render(view, ctx)
  if (isPartial(c)) return c.html(body, status as 200)
  return c.html(renderPage(c, body, data.title ?? ''), status as 200)
}

/** A full document around `body`, whatever the request. */
export function renderPage(c: Context<AppEnv>, body: string, title: string): string {
  const user = c.get('user')
  const nav = user ? navSections(navigation(), user.role, c.req.path) : []
  const url = new URL(c.req.url)
  const langLink = (lang?: string) => {
    const q = new URLSearchParams(url.search)
    if (lang) q.set('lang', lang)
    return q.size ? `${url.pathname}?${q}` : url.pathname
  }
  return eta.render('layouts/main', {
    ...baseData(c, {}),
    body,
    title,
    nav,
    flash: takeFlash(c),
    htmxConfig,
    langLinks: { sv: langLink('sv'), en: langLink('en'), default: langLink() },
  })
}

export function renderFragment(c: Context<AppEnv>, view: string, data: ViewData = {}): string {
  return eta.render(view, baseData(c, data))
}
