import fs from 'node:fs'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest'
import { ADMIN, startServer, type RunningServer } from './server.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const chromiumInstalled = fs.existsSync(CHROMIUM)

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const DESKTOP = { width: 1280, height: 800 } as const
export const MOBILE = { width: 375, height: 740 } as const

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}

/**
 * `describe` for browser tests. Without Chromium the suite is skipped locally and fails on CI.
 */
export function e2eDescribe(name: string, fn: () => void): void {
  if (chromiumInstalled) {
    describe(name, fn)
    return
  }
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is not installed (${CHROMIUM}); browser tests cannot run on CI without it`)
  }
  console.log(`${name}: skipped because Chromium is not installed (${CHROMIUM})`)
  describe.skip(name, fn)
}

/** Something the browser complained about: a console error/warning, an uncaught error, a CSP violation. */
export interface BrowserProblem {
  kind: 'console' | 'pageerror' | 'csp'
  text: string
  url: string
}

/**
 * Records console errors and warnings, uncaught page errors and every `securitypolicyviolation`
 * event in the pages of `context`. The listener is added by an init script (run through the
 * DevTools protocol, so the page's CSP does not apply to it) before any of the page's own code.
 * A "Failed to load resource" line for a document that was meant to answer 4xx (a 404 page, a
 * form with errors) is not a problem.
 */
export async function watchProblems(context: BrowserContext, problems: BrowserProblem[] = []): Promise<BrowserProblem[]> {
  const errorDocuments = new Set<string>()
  await context.exposeBinding('__e2eReportCsp', (source, v: { directive: string; blocked: string; sample: string; file: string; line: number }) => {
    problems.push({
      kind: 'csp',
      text: `CSP violation of ${v.directive}: blocked ${v.blocked || '(inline)'} ${v.sample ? `sample "${v.sample}"` : ''} at ${v.file}:${v.line}`,
      url: source.page?.url() ?? '',
    })
  })
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        ;(window as unknown as { __e2eReportCsp: (v: unknown) => void }).__e2eReportCsp({
          directive: e.effectiveDirective || e.violatedDirective,
          blocked: e.blockedURI,
          sample: e.sample,
          file: e.sourceFile,
          line: e.lineNumber,
        })
      },
      true,
    )
  })
  const watchPage = (page: Page) => {
    page.on('response', (res) => {
      if (res.status() >= 400) errorDocuments.add(res.url())
    })
    page.on('console', (msg) => {
      const type = msg.type()
      const text = msg.text()
      const isCsp = /Content Security Policy/i.test(text)
      if (!isCsp && type !== 'error' && type !== 'warning') return
      const where = msg.location().url
      // The app has no favicon yet: Chromium's own request for it 404s on every page (reported separately).
      if (!isCsp && /\/favicon\.ico$/.test(where)) return
      if (!isCsp && /^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && errorDocuments.has(where)) return
      problems.push({ kind: 'console', text: `[${type}] ${text} (${where})`, url: page.url() })
    })
    page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err), url: page.url() }))
  }
  context.pages().forEach(watchPage)
  context.on('page', watchPage)
  return problems
}

/** The focused element and whether it shows a focus indicator (an outline or a box-shadow). */
export async function focusState(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { tag: el?.tagName.toLowerCase() ?? null, id: '', text: '', visibleIndicator: false, outline: '', boxShadow: '' }
    const style = getComputedStyle(el)
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== ''
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.textContent ?? '').trim().replace(/\s+/g, ' '),
      visibleIndicator: outline || shadow,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    }
  })
}

export function describeProblems(problems: BrowserProblem[]): string {
  return problems.map((p) => `- ${p.kind} on ${p.url}: ${p.text}`).join('\n')
}

export interface E2E {
  server: RunningServer
  browser: Browser
  /** Problems seen in the pages of every context made by newContext() during the current test. */
  problems: BrowserProblem[]
  /** A fresh context (cookie jar) at the server, Swedish by default, watched for problems. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>
  /** A new page in a new context, signed in as `email` through the login form. */
  signedInPage(options?: BrowserContextOptions & { email?: string; password?: string }): Promise<Page>
}

/**
 * Registers the hooks of a browser test file: one server and one Chromium for the file, and a
 * check after every test that the browser reported no console error, page error or CSP violation.
 */
/**
 * `env`: extra configuration for the server (e.g. ACCESSIBILITY_EMAIL), or a function giving it
 * when the server starts (an address known only once another test server is up). `withoutAdmin`:
 * no user yet, so the test goes through /setup.
 */
export function useE2E(options: { env?: Record<string, string> | (() => Record<string, string>); withoutAdmin?: boolean } = {}): E2E {
  const contexts: BrowserContext[] = []
  const state = { problems: [] as BrowserProblem[] } as E2E

  beforeAll(async () => {
    const [server, browser] = await Promise.all([startServer({ env: typeof options.env === 'function' ? options.env() : options.env, withoutAdmin: options.withoutAdmin }), launchChromium()])
    state.server = server
    state.browser = browser
  })

  afterEach(() => {
    const seen = state.problems.splice(0)
    expect(seen, `the browser reported problems:\n${describeProblems(seen)}`).toEqual([])
  })

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)))
    await state.browser?.close()
    if (state.server) {
      const code = await state.server.stop()
      expect(code, `server exit code; its output:\n${state.server.output()}`).toBe(0)
    }
  })

  state.newContext = async (options = {}) => {
    const context = await state.browser.newContext({
      baseURL: state.server.url,
      locale: 'sv-SE',
      viewport: DESKTOP,
      ...options,
    })
    contexts.push(context)
    await watchProblems(context, state.problems)
    return context
  }

  state.signedInPage = async ({ email = ADMIN.email, password = ADMIN.password, ...options } = {}) => {
    const context = await state.newContext(options)
    const page = await context.newPage()
    await login(page, email, password)
    return page
  }
  return state
}

/** Signs in through the login form and waits for the dashboard. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.locator('#f-email').fill(email)
  await page.locator('#f-password').fill(password)
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form[action="/login"] button[type=submit]').click()])
}

/** The document's own horizontal overflow, in CSS pixels beyond the viewport. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
}
