import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

// Real public organisations (no people): uploaded, imported, then undone in Chromium.
const CSV = 'Namn;Typ;Län\r\nLänsstyrelsen i Västernorrlands län;Länsstyrelse;Västernorrlands län\r\nSundsvalls kommun;Kommun;Västernorrlands län\r\n'

e2eDescribe('importing a file and undoing it', () => {
  const e2e = useE2E()
  let page: Page

  beforeAll(async () => {
    page = await e2e.signedInPage()
  })

  async function expectAccessible() {
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
  }

  it('shows the running import’s progress, then the report, and undoes it from there', async () => {
    await page.goto('/import')
    await page.getByLabel('Organisationer').check()
    await page.setInputFiles('#f-file', { name: 'lan.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
    await page.getByRole('button', { name: 'Läs in filen' }).click()
    await page.getByRole('button', { name: 'Förhandsgranska' }).click()
    await page.getByRole('button', { name: /^Importera/ }).click()
    // The report page follows the import (htmx polls while it runs) and ends with the counts.
    await page.locator('h1', { hasText: 'Importen är klar' }).waitFor()
    expect(await page.locator('.import-counts dd').nth(1).textContent()).toBe('2')
    await expectAccessible()

    await page.getByRole('button', { name: 'Ångra importen' }).click()
    await page.locator('h1', { hasText: 'Importen är ångrad' }).waitFor({ timeout: 30_000 })
    expect(await page.locator('.alert[role=status]').textContent()).toContain('posterna den skapade är borttagna')
    await expectAccessible()
    await page.setViewportSize(MOBILE)
    const { scrollWidth, clientWidth } = await horizontalOverflow(page)
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth)

    await page.goto('/organisations?q=Sundsvalls')
    expect(await page.locator('main').textContent()).not.toContain('Sundsvalls kommun')
  })
})
