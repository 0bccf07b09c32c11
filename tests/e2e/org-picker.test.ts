import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('the organisation picker in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let uppsala: { id: string }
  let region: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Stockholms län', kind: 'county_board', county: 'Stockholms län' })
    uppsala = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Uppsala län', kind: 'county_board', county: 'Uppsala län' })
    region = await post(page, '/api/v1/organisations', { name: 'Region Uppsala', kind: 'region', county: 'Uppsala län' })
  })

  const activeOption = (page: Page, input: string) => page.evaluate((id) => {
    const box = document.getElementById(id)!
    const active = document.getElementById(box.getAttribute('aria-activedescendant') ?? '')
    return { expanded: box.getAttribute('aria-expanded'), option: active?.textContent ?? null, selected: active?.getAttribute('aria-selected') ?? null }
  }, input)

  it('chooses an affiliation with the keyboard only on the contact form: type, arrows, Enter; Escape closes', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/contacts/new')
    await page.locator('#f-first_name').fill('Klara')
    await page.locator('#f-last_name').fill('Tangentsson')
    const box = '#f-affiliations\\.0\\.organisation_id'
    await page.locator(box).focus()
    await page.keyboard.type('Länsstyrelsen')
    await page.locator('#f-affiliations\\.0\\.organisation_id-listbox [role=option]').nth(1).waitFor()
    expect((await activeOption(page, 'f-affiliations.0.organisation_id')).expanded).toBe('true')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await activeOption(page, 'f-affiliations.0.organisation_id')).toEqual({ expanded: 'true', option: 'Länsstyrelsen i Uppsala län (Uppsala län)', selected: 'true' })
    await page.keyboard.press('Enter')
    expect(await page.locator(box).inputValue()).toBe('Länsstyrelsen i Uppsala län')
    expect(await page.locator('input[type=hidden][name="affiliations.0.organisation_id"]').inputValue()).toBe(uppsala.id)
    expect((await activeOption(page, 'f-affiliations.0.organisation_id')).expanded).toBe('false')
    // Open again with ArrowDown and close with Escape: the choice stays.
    await page.keyboard.press('ArrowDown')
    await expect.poll(async () => (await activeOption(page, 'f-affiliations.0.organisation_id')).expanded).toBe('true')
    await page.keyboard.press('Escape')
    expect((await activeOption(page, 'f-affiliations.0.organisation_id')).expanded).toBe('false')
    expect(await page.locator('input[type=hidden][name="affiliations.0.organisation_id"]').inputValue()).toBe(uppsala.id)
    await Promise.all([page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/), page.locator('form.record-form button[type=submit].primary').click()])
    expect(await page.locator('main').innerText()).toContain('Länsstyrelsen i Uppsala län')
  })

  it('refuses a name that matches nothing next to the field on the alliance form, then chooses a member with the keyboard', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto('/alliances/new')
    await page.locator('#f-name').fill('Uppsalaalliansen')
    const box = page.locator('#f-members\\.0\\.organisation_id')
    await box.focus()
    await page.keyboard.type('Ingen sådan organisation')
    await page.locator('#f-members\\.0\\.organisation_id-listbox .combobox-empty').waitFor()
    await page.keyboard.press('Tab')
    const error = page.locator('#f-members\\.0\\.organisation_id-error')
    expect(await error.innerText()).toBe('Ingen organisation heter ”Ingen sådan organisation”. Välj en i listan, eller töm fältet om ingen ska väljas.')
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    expect(await box.getAttribute('aria-describedby')).toContain('f-members.0.organisation_id-error')
    // Saving is held back, and the keyboard is taken to the box.
    await page.locator('form.record-form button[type=submit].primary').click()
    expect(page.url()).toMatch(/\/alliances\/new$/)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-members.0.organisation_id')

    await page.keyboard.press('Control+A')
    await page.keyboard.type('Region Upp')
    await page.locator('#f-members\\.0\\.organisation_id-listbox [role=option]').first().waitFor()
    expect(await error.isVisible()).toBe(false)
    const violations = await seriousViolations(page)
    expect(violations, `axe with the listbox open:\n${formatViolations(violations)}`).toEqual([])
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(MOBILE.width + 1)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    expect(await page.locator('input[type=hidden][name="members.0.organisation_id"]').inputValue()).toBe(region.id)
    await Promise.all([page.waitForURL(/\/alliances\/[0-9a-f-]{36}$/), page.locator('form.record-form button[type=submit].primary').click()])
    expect(await page.locator('main').innerText()).toContain('Region Uppsala')
  })
  it('adds a second member row without a reload and names the new member in a commitment before saving', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/alliances/new')
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1 })
    await page.locator('#f-name').fill('Tvåradsalliansen')
    const choose = async (box: string, text: string) => {
      await page.locator(box).focus()
      await page.keyboard.type(text)
      await page.locator(`${box}-listbox [role=option]`).first().waitFor()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
    }
    await choose('#f-members\\.0\\.organisation_id', 'Länsstyrelsen')
    const lead = await page.locator('#f-members\\.0\\.organisation_id').inputValue()
    expect(lead).toMatch(/^Länsstyrelsen i /)
    await page.getByRole('button', { name: 'Lägg till en medlemsrad' }).click()
    // The new row is there, numbered, and the keyboard is in it.
    expect(await page.locator('#member-rows fieldset legend').allInnerTexts()).toEqual(['Medlem 1', 'Medlem 2'])
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-members.1.organisation_id')
    await choose('#f-members\\.1\\.organisation_id', 'Region Upp')
    const by = page.locator('#f-commitments\\.0\\.organisation_id')
    await expect.poll(async () => by.locator('option').allInnerTexts()).toContain('Region Uppsala')
    await by.selectOption({ label: 'Region Uppsala' })
    await page.locator('#f-commitments\\.0\\.description').fill('Öppna vårdcentralerna för informationsträffar')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
    await Promise.all([page.waitForURL(/\/alliances\/[0-9a-f-]{36}$/), page.locator('form.record-form button[type=submit].primary').click()])
    const main = await page.locator('main').innerText()
    expect(main).toContain(lead)
    expect(main).toMatch(/Region Uppsala\s+Öppna vårdcentralerna för informationsträffar/)
  })
  it('is the same control on every form that chooses one organisation, with no serious axe violation at 375 px', async () => {
    await page.setViewportSize(MOBILE)
    const forms: [string, string][] = [
      ['/contacts/new', 'affiliations.0.organisation_id'], ['/alliances/new', 'members.0.organisation_id'], ['/projects/new', 'lead_organisation_id'],
      ['/bodies/new', 'seats.0.organisation_id'], ['/organisations/new', 'parent_id'], ['/activities/new', 'influence.organisation_id'],
    ]
    for (const [path, field] of forms) {
      await page.goto(path)
      const box = page.locator(`[id="f-${field}"]`)
      expect(await box.getAttribute('role'), path).toBe('combobox')
      expect(await box.getAttribute('aria-controls'), path).toBe(`f-${field}-listbox`)
      expect(await page.locator(`input[type=hidden][name="${field}"][data-combobox-value]`).count(), path).toBe(1)
      const violations = await seriousViolations(page)
      expect(violations, `${path}:\n${formatViolations(violations)}`).toEqual([])
      expect((await horizontalOverflow(page)).scrollWidth, path).toBeLessThanOrEqual(MOBILE.width + 1)
    }
  })
})
