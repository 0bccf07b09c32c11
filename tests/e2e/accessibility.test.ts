import { beforeAll, expect, it, describe } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { createUserThroughForm } from './helpers/users.ts'

interface PageCase {
  name: string
  signedIn: boolean
  status: number
  /** Brings `page` to the page under test; returns the HTTP status of the document shown. */
  open(page: Page): Promise<number | undefined>
}

async function visit(page: Page, path: string): Promise<number | undefined> {
  return (await page.goto(path))?.status()
}

let editPath = ''

const PAGES: PageCase[] = [
  { name: 'the login page', signedIn: false, status: 200, open: (p) => visit(p, '/login') },
  { name: 'the setup page, gone once a user exists', signedIn: false, status: 404, open: (p) => visit(p, '/setup') },
  { name: 'the dashboard', signedIn: true, status: 200, open: (p) => visit(p, '/') },
  { name: 'the account page', signedIn: true, status: 200, open: (p) => visit(p, '/account') },
  { name: 'the user list', signedIn: true, status: 200, open: (p) => visit(p, '/admin/users') },
  { name: 'the new-user form', signedIn: true, status: 200, open: (p) => visit(p, '/admin/users/new') },
  { name: 'the edit-user form', signedIn: true, status: 200, open: (p) => visit(p, editPath) },
  { name: 'the not-found page', signedIn: true, status: 404, open: (p) => visit(p, '/nonexistent') },
  { name: 'the not-found page, signed out', signedIn: false, status: 404, open: (p) => visit(p, '/nonexistent') },
  {
    name: 'the new-user form with validation errors',
    signedIn: true,
    status: 422,
    open: async (p) => {
      await p.goto('/admin/users/new')
      const [res] = await Promise.all([
        p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin/users'),
        p.waitForURL((u) => u.pathname === '/admin/users'),
        p.locator('form[action="/admin/users"] button[type=submit]').click(),
      ])
      return res.status()
    },
  },
]

e2eDescribe('accessibility', () => {
  const e2e = useE2E()

  // The admin's signed-in cookies, shared by the tabs below so that each need not log in again.
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>

  beforeAll(async () => {
    const page = await e2e.signedInPage()
    const user = await createUserThroughForm(page, { name: 'Greta Granström', email: 'greta.granstrom@example.se', role: 'editor' })
    editPath = user.editPath
    signedIn = await page.context().storageState()
    await page.context().close()
  })

  // One tab signed out and one signed in, reused for every language and width: a warm renderer
  // keeps each axe run short.
  const tabs = {} as Record<'anonymous' | 'admin', Page>
  beforeAll(async () => {
    tabs.anonymous = await (await e2e.newContext()).newPage()
    tabs.admin = await (await e2e.newContext({ storageState: signedIn })).newPage()
  })

  it('answers 404 at /setup once a user exists', async () => {
    const page = tabs.anonymous
    const res = await page.goto('/setup')
    expect(res?.status()).toBe(404)
    expect(await page.locator('form[action="/setup"]').count()).toBe(0)
  })

  it('ties each validation error to its field with aria-describedby and marks the field aria-invalid', async () => {
    const page = tabs.admin
    await page.goto('/admin/users/new')
    await page.locator('#f-email').fill('inte-en-adress')
    await page.locator('#f-password').fill('kort')
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.waitForURL((u) => u.pathname === '/admin/users'),
      page.locator('form[action="/admin/users"] button[type=submit]').click(),
    ])
    expect(res.status()).toBe(422)

    const expected = { name: 'Fyll i fältet.', email: 'Ange en giltig e-postadress.', password: 'Minst 12 tecken.' }
    for (const [field, message] of Object.entries(expected)) {
      const input = page.locator(`#f-${field}`)
      expect(await input.getAttribute('aria-invalid'), `#f-${field} aria-invalid`).toBe('true')
      const describedBy = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? []
      const errorId = `f-${field}-error`
      expect(describedBy, `#f-${field} aria-describedby`).toContain(errorId)
      const error = page.locator(`[id="${errorId}"]`)
      expect((await error.textContent())?.trim()).toBe(message)
      // Next to the field: in the same form group, before the input.
      const sameGroup = await page.evaluate(
        ({ inputId, errId }) => {
          const i = document.getElementById(inputId)!
          const e = document.getElementById(errId)!
          return i.closest('.field') === e.closest('.field') && !!(e.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING)
        },
        { inputId: `f-${field}`, errId: errorId },
      )
      expect(sameGroup, `${errorId} sits next to #f-${field}`).toBe(true)
    }
    // The password hint stays part of the description.
    expect(await page.locator('#f-password').getAttribute('aria-describedby')).toBe('f-password-hint f-password-error')
    // What was typed is kept; the password is not sent back.
    expect(await page.locator('#f-email').inputValue()).toBe('inte-en-adress')
    expect(await page.locator('#f-password').inputValue()).toBe('')
    // The error summary receives focus and links to each field.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true)
    const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(links.sort()).toEqual(['#f-email', '#f-name', '#f-password'])
    // Following a summary link moves focus to its field.
    await page.locator('.error-summary a[href="#f-password"]').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-password')
  })

  for (const lang of ['sv', 'en'] as const) {
    for (const viewport of [DESKTOP, MOBILE]) {
      describe(`in ${lang === 'sv' ? 'Swedish' : 'English'} at ${viewport.width} px`, () => {
        // Document widths measured while the pages are visited for axe, by page name.
        const widths = new Map<string, { scrollWidth: number; clientWidth: number; url: string }>()

        beforeAll(async () => {
          for (const page of Object.values(tabs)) {
            await page.setViewportSize(viewport)
            await page.goto(`/login?lang=${lang}`)
          }
          await tabs.admin.goto('/')
          if (new URL(tabs.admin.url()).pathname !== '/') throw new Error(`not signed in: ${tabs.admin.url()}`)
        })

        for (const pc of PAGES) {
          it(`shows ${pc.name} with no serious or critical axe violation`, async () => {
            const page = pc.signedIn ? tabs.admin : tabs.anonymous
            expect(await pc.open(page)).toBe(pc.status)
            expect(await page.getAttribute('html', 'lang')).toBe(lang)
            widths.set(pc.name, { ...(await horizontalOverflow(page)), url: page.url() })
            const violations = await seriousViolations(page)
            expect(violations, `axe found on ${page.url()}:\n${formatViolations(violations)}`).toEqual([])
          })
        }

        if (viewport.width === MOBILE.width) {
          it('lets no page scroll sideways at 375 px', async () => {
            const tooWide: string[] = []
            for (const pc of PAGES) {
              let width = widths.get(pc.name)
              if (!width) {
                // Not visited above (a filtered run): visit it now.
                const page = pc.signedIn ? tabs.admin : tabs.anonymous
                expect(await pc.open(page)).toBe(pc.status)
                width = { ...(await horizontalOverflow(page)), url: page.url() }
              }
              expect(width.clientWidth).toBeLessThanOrEqual(375)
              if (width.scrollWidth > 375 + 1) tooWide.push(`${pc.name} (${width.url}): ${width.scrollWidth} px wide`)
            }
            expect(tooWide, `pages wider than the 375 px screen:\n${tooWide.join('\n')}`).toEqual([])
          })
        }
      })
    }
  }
})
