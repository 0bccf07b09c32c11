import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

// The organisation picker choosing several (views/partials/org-multi-picker.eta, static/js/combobox.js
// with data-multiple): the same combobox as the single one, chosen ones as chips, all by keyboard.

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('the organisation picker choosing several, in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let stockholm: { id: string }
  let uppsala: { id: string }
  let region: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    stockholm = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Stockholms län', kind: 'county_board', county: 'Stockholms län' })
    uppsala = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Uppsala län', kind: 'county_board', county: 'Uppsala län' })
    region = await post(page, '/api/v1/organisations', { name: 'Region Uppsala', kind: 'region', county: 'Uppsala län' })
  })

  const BOX = '#f-organisation_ids'
  const chips = () => page.locator('[data-combobox-chips] label').allInnerTexts()
  const chosen = () => page.locator('input[data-combobox-chip][name=organisation_ids]').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))
  const focused = () => page.evaluate(() => document.activeElement?.id ?? null)
  /** Types into the focused box, waits for the suggestions, moves with ArrowDown to the one named `name` and takes it with Enter. */
  const choose = async (text: string, name: string) => {
    await page.keyboard.type(text)
    await page.locator(`${BOX}-listbox [role=option]`).filter({ hasText: name }).waitFor()
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('ArrowDown')
      const active = await page.evaluate((id) => document.getElementById(document.getElementById(id)!.getAttribute('aria-activedescendant') ?? '')?.textContent ?? '', BOX.slice(1))
      if (active.startsWith(name)) break
    }
    await page.keyboard.press('Enter')
  }

  it('logs a contact with two organisations chosen, one removed, all by keyboard, and saves the ones left', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/interactions/new')
    await page.locator('#f-summary').fill('Samråd om mottagandet i Uppsala')
    await page.locator(BOX).focus()
    await choose('Region Upp', 'Region Uppsala')
    // A chip, the box empty and still focused for the next one, the listbox closed.
    expect(await chips()).toEqual(['Region Uppsala'])
    expect(await page.locator(BOX).inputValue()).toBe('')
    expect(await focused()).toBe('f-organisation_ids')
    expect(await page.locator(BOX).getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('[data-combobox-status]').first().innerText()).toBe('Tillagd: Region Uppsala.')

    await page.keyboard.type('Länsstyrelsen')
    await page.locator(`${BOX}-listbox [role=option]`).nth(1).waitFor()
    // Only the unchosen are offered, each with its county.
    expect(await page.locator(`${BOX}-listbox [role=option]`).allInnerTexts()).toEqual(['Länsstyrelsen i Stockholms län (Stockholms län)', 'Länsstyrelsen i Uppsala län (Uppsala län)'])
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator(BOX).getAttribute('aria-activedescendant')).toBe('f-organisation_ids-opt-1')
    await page.keyboard.press('Enter')
    await choose('Länsstyrelsen i Stock', 'Länsstyrelsen i Stockholms län')
    expect(await chips()).toEqual(['Region Uppsala', 'Länsstyrelsen i Uppsala län', 'Länsstyrelsen i Stockholms län'])
    expect(await chosen()).toEqual([region.id, uppsala.id, stockholm.id])

    // Shift+Tab from the box reaches the last chip; Delete removes it and the keyboard is back in the box.
    await page.keyboard.press('Shift+Tab')
    expect(await focused()).toBe(`f-organisation_ids-chip-${stockholm.id}`)
    await page.keyboard.press('Delete')
    expect(await chips()).toEqual(['Region Uppsala', 'Länsstyrelsen i Uppsala län'])
    expect(await focused()).toBe('f-organisation_ids')
    expect(await page.locator('[data-combobox-status]').first().innerText()).toBe('Borttagen: Länsstyrelsen i Stockholms län.')

    // Enter in the empty box sends the form.
    await Promise.all([page.waitForURL(/\/interactions\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')])
    const main = await page.locator('main').innerText()
    expect(main).toContain('Region Uppsala')
    expect(main).toContain('Länsstyrelsen i Uppsala län')
    expect(main).not.toContain('Länsstyrelsen i Stockholms län')
  })

  it('chooses a plan’s target organisations at 375 px with no serious axe violation, and the live count follows', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto('/plans/new')
    await page.locator('#f-name').fill('Uppsala först')
    await page.locator(BOX).focus()
    await choose('Region Upp', 'Region Uppsala')
    await page.keyboard.type('Länsstyrelsen i Upp')
    await page.locator(`${BOX}-listbox [role=option]`).filter({ hasText: 'Länsstyrelsen i Uppsala län' }).waitFor()
    let violations = await seriousViolations(page)
    expect(violations, `axe with the listbox open:\n${formatViolations(violations)}`).toEqual([])
    for (let i = 0; i < 10 && !(await page.locator(`${BOX}-listbox [aria-selected=true]`).filter({ hasText: 'Länsstyrelsen i Uppsala län' }).count()); i++) await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    expect(await chosen()).toEqual([region.id, uppsala.id])
    await expect.poll(() => page.locator('#target-count').innerText()).toContain('2 organisationer')
    // Backspace in the empty box removes the last chip, and the count follows.
    await page.keyboard.press('Backspace')
    expect(await chosen()).toEqual([region.id])
    await expect.poll(() => page.locator('#target-count').innerText()).toContain('1 organisation')
    violations = await seriousViolations(page)
    expect(violations, `axe with a chip:\n${formatViolations(violations)}`).toEqual([])
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(MOBILE.width + 1)
    await page.locator('fieldset.combobox-multi').screenshot({ path: '/tmp/org-multi-picker-375.png' })
  })

  it('filters a segment by two organisations chosen with the keyboard and saves them', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto('/segments/new')
    await page.locator('#f-name').fill('Uppsalas organisationer')
    await page.locator(BOX).focus()
    await choose('Region Upp', 'Region Uppsala')
    await choose('Länsstyrelsen i Upp', 'Länsstyrelsen i Uppsala län')
    expect(await chosen()).toEqual([region.id, uppsala.id])
    // Unticking a chip with Space removes it too.
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Space')
    expect(await chosen()).toEqual([region.id])
    expect(await focused()).toBe('f-organisation_ids')
    // The live count follows the chips (and not the half-typed text); saved once it has answered.
    const counted = page.waitForResponse((r) => r.url().endsWith('/segments/count'))
    await choose('Länsstyrelsen i Stock', 'Länsstyrelsen i Stockholms län')
    await counted
    await Promise.all([page.waitForURL(/\/segments\/[0-9a-f-]{36}$/), page.locator('form.record-form button[type=submit].primary').click()])
    const id = page.url().split('/').pop()!
    const saved = await (await page.request.get(`/api/v1/segments/${id}`)).json()
    expect([...saved.filter.organisation_ids].sort()).toEqual([region.id, stockholm.id].sort())
  })
})
