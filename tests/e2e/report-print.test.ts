import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eDescribe, useE2E } from './helpers/browser.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

const COUNTIES = ['Blekinge län', 'Dalarnas län', 'Gotlands län', 'Gävleborgs län', 'Hallands län', 'Jämtlands län', 'Jönköpings län', 'Kalmar län',
  'Kronobergs län', 'Norrbottens län', 'Skåne län', 'Stockholms län', 'Södermanlands län', 'Uppsala län', 'Värmlands län', 'Västerbottens län',
  'Västernorrlands län', 'Västmanlands län', 'Västra Götalands län', 'Örebro län', 'Östergötlands län']

e2eDescribe('the period report on paper', () => {
  const e2e = useE2E()
  let page: Page

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const people = []
    for (const county of COUNTIES) people.push(await post(page, '/api/v1/contacts', { first_name: 'Deltagare', last_name: county.split(' ')[0], county, categories: ['practitioner'] }))
    for (let i = 0; i < 6; i++) {
      await post(page, '/api/v1/activities', {
        title: `Seminarium ${i + 1}`, type: i % 2 ? 'seminar' : 'workshop', status: 'done', start_date: `2026-0${i + 1}-10`, level: 'horizontal',
        participants: people.map((p) => ({ contact_id: p.id, role: 'participant', attendance: 'attended' })),
      })
    }
  })

  it('prints with a title block (period and date), headings kept with their tables, and a long table allowed to continue', async () => {
    await page.goto('/reports/period?from=2026-01-01&to=2026-12-31')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.report-meta').innerText()).toMatch(/^Period 2026-01-01 – 2026-12-31 · sammanställd \d{4}-\d\d-\d\d ur Navet$/)
    expect(await page.locator('.site-header').isVisible()).toBe(false)
    expect(await page.locator('form.filters').isVisible()).toBe(false)
    const breaks = await page.evaluate(() => ({
      heading: getComputedStyle(document.querySelector('#reach-h')!).breakAfter,
      intro: getComputedStyle(document.querySelector('#reach-h + .hint')!).breakAfter,
      short: getComputedStyle(document.querySelector('#reach-category')!).breakInside,
      long: getComputedStyle(document.querySelector('#reach-county')!).breakInside,
    }))
    expect(breaks).toEqual({ heading: 'avoid', intro: 'avoid', short: 'avoid', long: 'auto' })
    // Chromium prints it: the 21-county table no longer pushes the reach section to a page of its own.
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(pages).toBeLessThanOrEqual(3)
  })
})
