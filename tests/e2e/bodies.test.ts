import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('bodies and organisation relationships in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let body: { id: string }
  let esf: { id: string }
  let up: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    esf = await post(page, '/api/v1/organisations', { name: 'Svenska ESF-rådet', kind: 'authority' })
    up = await post(page, '/api/v1/organisations', { name: 'UP Vägen in till arbetslivet', kind: 'partnership' })
    const ulla = await post(page, '/api/v1/contacts', { first_name: 'Ulla', last_name: 'Urberg' })
    const pelle = await post(page, '/api/v1/contacts', { first_name: 'Pelle', last_name: 'Palm' })
    body = await post(page, '/api/v1/bodies', {
      name: 'Styrgruppen för NTG-asyl', kind: 'steering_group', description: 'Beslutar om nätverkets inriktning och tar emot rapporterna.',
      seats: [
        { contact_id: ulla.id, organisation_id: esf.id, role: 'chair', start_date: '2003-01-01' },
        { contact_id: pelle.id, organisation_id: up.id, role: 'secretary', start_date: '2002-01-01', end_date: '2002-12-31' },
      ],
    })
    await post(page, '/api/v1/organisation-relationships', { from_organisation_id: esf.id, to_organisation_id: up.id, type: 'funds', start_date: '2002-01-01', note: 'Equal-medel' })
  })

  it('adds a relationship from the organisation page, choosing the other organisation by searching, with the keyboard', async () => {
    await page.goto(`/organisations/${up.id}`)
    // The form waits behind its button, which hands the keyboard to its first field.
    expect(await page.locator('#f-relation').isVisible()).toBe(false)
    const open = page.getByRole('button', { name: 'Ny relation' })
    expect(await open.getAttribute('aria-expanded')).toBe('false')
    await open.focus()
    await page.keyboard.press('Enter')
    expect(await open.getAttribute('aria-expanded')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-relation')
    await page.locator('#f-relation').selectOption('advised_by')
    await page.locator('#f-other_organisation_id').fill('ESF')
    await page.locator('#f-other_organisation_id-listbox [role=option]', { hasText: 'Svenska ESF-rådet' }).waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    expect(await page.locator('#f-other_organisation_id').inputValue()).toBe('Svenska ESF-rådet')
    await page.locator('#f-start_date').fill('2004-01-01')
    await page.locator('#f-start_date').press('Enter')
    // The page reloads with the new relationship (the form posts through htmx, then follows HX-Redirect).
    await page.locator('.relation-list li', { hasText: 'får råd av' }).waitFor()
    expect(await page.locator('.flash').textContent()).toContain('Posten är sparad.')
    const lines = await page.locator('.relation-list li > span:first-child').allTextContents()
    expect(lines.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'finansieras av Svenska ESF-rådet (2002-01-01–) – Equal-medel',
      'får råd av Svenska ESF-rådet (2004-01-01–)',
    ])
  })

  const pages = () => ['/bodies', `/bodies/${body.id}`, `/bodies/${body.id}/edit`, '/bodies/new', `/organisations/${up.id}`, `/organisations/${esf.id}`]
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the body and relationship pages with no serious axe violation at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      const tooWide: string[] = []
      for (const path of pages()) {
        const res = await page.goto(path)
        expect(res?.status(), path).toBe(200)
        const violations = await seriousViolations(page)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(page)
        if (scrollWidth > viewport.width + 1) tooWide.push(`${path}: ${scrollWidth} px`)
      }
      expect(tooWide).toEqual([])
    })
  }
})
