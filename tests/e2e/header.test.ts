import { beforeAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { contrastRatio } from './helpers/colour.ts'

/** The typed text's colour against the box's own background, as the browser computed them. */
async function searchBoxContrast(page: Page): Promise<number> {
  const { color, background } = await page.locator('#header-q').evaluate((el) => {
    const style = getComputedStyle(el)
    return { color: style.color, background: style.backgroundColor }
  })
  return contrastRatio(color, background)
}

const headerHeight = (page: Page) => page.locator('.site-header').evaluate((el) => el.getBoundingClientRect().height)
const isShown = (page: Page, selector: string) => page.locator(selector).isVisible()

e2eDescribe('the header', () => {
  const e2e = useE2E()
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>

  beforeAll(async () => {
    const page = await e2e.signedInPage()
    signedIn = await page.context().storageState()
    await page.context().close()
  })

  async function pageAt(viewport: { width: number; height: number }, path = '/organisations'): Promise<Page> {
    const page = await (await e2e.newContext({ storageState: signedIn, viewport })).newPage()
    await page.goto(path)
    return page
  }

  it('shows what is typed in the search box dark on white, at least 4.5:1', async () => {
    const page = await pageAt(DESKTOP)
    await page.locator('#header-q').fill('Länsstyrelsen')
    expect(await searchBoxContrast(page)).toBeGreaterThanOrEqual(4.5)
    await page.context().close()
  })

  it('fits the whole menu, the search box and the account in one row at 1280 px', async () => {
    const page = await pageAt(DESKTOP)
    expect(await headerHeight(page)).toBeLessThanOrEqual(64)
    // One row: every part's middle on the same line.
    const middles = await page.locator('.brand, .nav-sections > li, .header-search, .header-tools').evaluateAll((els) => els.map((el) => {
      const box = el.getBoundingClientRect()
      return box.top + box.height / 2
    }))
    expect(Math.max(...middles) - Math.min(...middles), `middles ${middles.join(', ')}`).toBeLessThan(4)
    expect(await isShown(page, '.menu-toggle')).toBe(false)
    // The groups: the one holding the current page is marked, their lists closed until asked for.
    expect(await page.locator('.nav-group-toggle').allTextContents()).toEqual(['Register', 'Nätverksarbete', 'Spridning', 'Administration'])
    expect(await page.locator('.nav-group.is-current .nav-group-toggle').textContent()).toBe('Register')
    expect(await isShown(page, '#nav-register')).toBe(false)
    await page.context().close()
  })

  it('opens a group of the menu by keyboard, closes it with Escape and gives focus back to its button', async () => {
    const page = await pageAt(DESKTOP)
    const toggle = page.locator('button[aria-controls="nav-network"]')
    await toggle.focus()
    await page.keyboard.press('Enter')
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await isShown(page, '#nav-network a[href="/alliances"]')).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('/alliances')
    await page.keyboard.press('Escape')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await isShown(page, '#nav-network')).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('nav-network')

    // Another group opened closes the first; a click elsewhere closes it too.
    await toggle.click()
    await page.locator('button[aria-controls="nav-outreach"]').click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await isShown(page, '#nav-outreach a[href="/plans"]')).toBe(true)
    await page.locator('h1').click()
    expect(await isShown(page, '#nav-outreach')).toBe(false)
    await Promise.all([page.waitForURL((u) => u.pathname === '/plans'), (async () => {
      await page.locator('button[aria-controls="nav-outreach"]').click()
      await page.locator('#nav-outreach a[href="/plans"]').click()
    })()])
    expect(await page.locator('.nav-group.is-current .nav-group-toggle').textContent()).toBe('Spridning')
    await page.context().close()
  })

  it('keeps the header of a 375 px phone within 80 px behind a menu button that a screen reader hears as expanded or not', async () => {
    const page = await pageAt(MOBILE)
    expect(await headerHeight(page)).toBeLessThanOrEqual(80)
    const button = page.getByRole('button', { name: 'Meny' })
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    expect(await button.getAttribute('aria-controls')).toBe('site-menu')
    expect(await isShown(page, '.main-nav')).toBe(false)
    // The search box stays at hand, with room to see what is typed.
    expect(await isShown(page, '#header-q')).toBe(true)
    expect(await page.locator('#header-q').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(90)

    await button.focus()
    await page.keyboard.press('Enter')
    expect(await button.getAttribute('aria-expanded')).toBe('true')
    expect(await isShown(page, '.main-nav')).toBe(true)
    expect(await isShown(page, '.account-link')).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Översikt')
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
    await page.keyboard.press('Escape')
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    expect(await isShown(page, '.main-nav')).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-toggle'))).toBe(true)

    // A group within the opened menu unfolds in place and its links lead on.
    await button.click()
    await page.getByRole('button', { name: 'Register' }).click()
    await Promise.all([page.waitForURL((u) => u.pathname === '/contacts'), page.locator('#nav-register a[href="/contacts"]').click()])
    expect(await page.locator('h1').textContent()).toBe('Kontakter')
    await page.context().close()
  })

  it('shows every link of the menu when scripts do not run', async () => {
    const page = await (await e2e.newContext({ storageState: signedIn, viewport: MOBILE, javaScriptEnabled: false })).newPage()
    await page.goto('/organisations')
    expect(await page.locator('.main-nav a:visible').count()).toBe(await page.locator('.main-nav a').count())
    expect(await page.locator('.main-nav button:visible').count()).toBe(0)
    await page.context().close()
  })
})
