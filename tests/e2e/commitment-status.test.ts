import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

/** A Swedish calendar day `n` days from today. */
function day(n: number): string {
  const d = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Stockholm' }))
  d.setDate(d.getDate() + n)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

type Alliance = { id: string; version: number; commitments: { id: string; description: string }[] }

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<Alliance> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('a commitment’s status changed inline in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let alliance: Alliance

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const a = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Hallands län', kind: 'county_board' })
    const b = await post(page, '/api/v1/organisations', { name: 'Studieförbundet Vuxenskolan', kind: 'ngo' })
    alliance = await post(page, '/api/v1/alliances', {
      name: 'Hallandsnätverket',
      members: [{ organisation_id: a.id, role: 'lead' }, { organisation_id: b.id, role: 'partner' }],
      commitments: [
        { organisation_id: b.id, description: 'Ordna fem studiecirklar', due_date: day(-4) },
        { organisation_id: a.id, description: 'Bjuda in kommunerna', due_date: day(-2) },
      ],
    })
  })

  const form = (from: string, description: string) => page.locator(`#cs-${from}-${alliance.commitments.find((k) => k.description === description)!.id}`)

  it('changes two commitments one after the other on the alliance page with the keyboard, without reloading', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`/alliances/${alliance.id}`)
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1 })
    for (const [description, key, label] of [['Ordna fem studiecirklar', 'ArrowDown', 'Klart'], ['Bjuda in kommunerna', 'End', 'Struket']] as const) {
      const f = form('detail', description)
      await f.locator('select').focus()
      await page.keyboard.press(key)
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await expect.poll(() => form('detail', description).locator('[role=status]').textContent()).toBe(`Sparat: ${label}.`)
    }
    // The same page: htmx swapped the forms; the second save was not refused as stale.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
    await page.reload()
    expect(await form('detail', 'Ordna fem studiecirklar').locator('select').inputValue()).toBe('done')
    expect(await form('detail', 'Bjuda in kommunerna').locator('select').inputValue()).toBe('dropped')
  })

  it('says so next to the commitment when the alliance changed since the page was opened, keeping the choice', async () => {
    await page.goto(`/alliances/${alliance.id}`)
    const stored = await (await page.request.get(`/api/v1/alliances/${alliance.id}`)).json()
    const res = await page.request.patch(`/api/v1/alliances/${alliance.id}`, { data: { version: stored.version, next_step: 'Ändrat av någon annan' } })
    expect(res.status()).toBe(200)
    const f = form('detail', 'Bjuda in kommunerna')
    await f.locator('select').selectOption('open')
    await f.locator('button').click()
    const message = form('detail', 'Bjuda in kommunerna').locator('[role=status]')
    await expect.poll(() => message.textContent()).toContain('Alliansen har ändrats av någon annan sedan sidan öppnades. Åtagandet är nu: Struket.')
    expect(await form('detail', 'Bjuda in kommunerna').locator('select').inputValue()).toBe('open')
    // Saving again is a knowing overwrite.
    await form('detail', 'Bjuda in kommunerna').locator('button').click()
    await expect.poll(() => form('detail', 'Bjuda in kommunerna').locator('[role=status]').textContent()).toBe('Sparat: Öppet.')
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
  })

  it('changes an overdue commitment’s status from the dashboard, usable at 375 px', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto('/')
    const f = form('dashboard', 'Bjuda in kommunerna')
    await f.locator('select').selectOption('done')
    await f.locator('button').click()
    await expect.poll(() => form('dashboard', 'Bjuda in kommunerna').locator('[role=status]').textContent()).toBe('Sparat: Klart.')
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(MOBILE.width + 1)
    await page.goto(`/alliances/${alliance.id}`)
    expect(await form('detail', 'Bjuda in kommunerna').locator('select').inputValue()).toBe('done')
  })
})
