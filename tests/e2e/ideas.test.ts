import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('projects, products and the public idea bank in the browser', () => {
  const e2e = useE2E()
  let signedIn: Page
  let anonymous: Page
  let project: { id: string }
  let method: { id: string }
  let hidden: { id: string }

  beforeAll(async () => {
    signedIn = await e2e.signedInPage()
    anonymous = await (await e2e.newContext()).newPage()
    const work = await post(signedIn, '/api/v1/themes', { name: 'Arbetsmarknadsintegration' })
    const health = await post(signedIn, '/api/v1/themes', { name: 'Hälsokommunikatörer', parent_id: work.id })
    const up = await post(signedIn, '/api/v1/organisations', { name: 'Utvecklingspartnerskapet ReKOMP', kind: 'partnership' })
    const region = await post(signedIn, '/api/v1/organisations', { name: 'Region Skåne', kind: 'region' })
    project = await post(signedIn, '/api/v1/projects', {
      name: 'ReKOMP – hälsokommunikatörer', programme: 'equal', status: 'finished', start_date: '2002-07-01', end_date: '2005-06-30',
      lead_organisation_id: up.id, partners: [{ organisation_id: region.id, role: 'Vårdgivare' }], theme_ids: [health.id],
      evaluation: 'Metoden når nyanlända som vården annars inte når.',
    })
    method = await post(signedIn, '/api/v1/products', {
      title: 'Hälsokommunikatörer', kind: 'method', project_id: project.id, theme_ids: [health.id], public: true, good_practice_status: 'validated',
      url: 'https://www.example.se/halsokommunikatorer',
      summary: 'Utrikes födda med vårdutbildning från hemlandet ger nyanlända hälsoinformation på deras eget språk – om vården i Sverige, egenvård och psykisk hälsa.',
    })
    await post(signedIn, '/api/v1/products', {
      title: 'Hälsa på eget språk', kind: 'film', project_id: project.id, public: true, good_practice_status: 'candidate', summary: 'Kortfilm om hälsoträffar på modersmål.',
    })
    hidden = await post(signedIn, '/api/v1/products', { title: 'Intern slututvärdering', kind: 'report', project_id: project.id })
  })

  it('lets a visitor without an account browse the idea bank, filter it and open an idea, with the keyboard', async () => {
    await anonymous.goto('/ideas')
    expect(await anonymous.locator('h1').textContent()).toBe('Idébanken')
    expect(await anonymous.locator('.main-nav a').allTextContents()).toEqual(['Idébank', 'Nyhetsbrev'])
    expect(await anonymous.locator('.idea-list h2').allTextContents()).toEqual(['Hälsa på eget språk', 'Hälsokommunikatörer'])
    await anonymous.locator('#f-validated').check()
    await anonymous.locator('.idea-list h2', { hasText: 'Hälsa på eget språk' }).waitFor({ state: 'detached' })
    expect(await anonymous.locator('.idea-list h2').allTextContents()).toEqual(['Hälsokommunikatörer'])
    await anonymous.locator('.idea-list h2 a').focus()
    await Promise.all([anonymous.waitForURL(`**/ideas/${method.id}`), anonymous.keyboard.press('Enter')])
    expect(await anonymous.locator('h1').textContent()).toBe('Hälsokommunikatörer')
    const link = anonymous.locator('a[href="https://www.example.se/halsokommunikatorer"]')
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer')
    expect(await anonymous.locator('.status-tag').textContent()).toBe('Validerat gott exempel')
    expect((await anonymous.goto(`/ideas/${hidden.id}`))?.status()).toBe(404)
  })

  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the idea bank to an anonymous visitor with no serious axe violation at ${viewport.width} px`, async () => {
      await anonymous.setViewportSize(viewport)
      const tooWide: string[] = []
      for (const path of ['/ideas', `/ideas/${method.id}`, '/ideas?q=ingenting']) {
        const res = await anonymous.goto(path)
        expect(res?.status(), path).toBe(200)
        const violations = await seriousViolations(anonymous)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(anonymous)
        if (scrollWidth > viewport.width + 1) tooWide.push(`${path}: ${scrollWidth} px`)
      }
      expect(tooWide).toEqual([])
    })

    it(`shows the project and product pages with no serious axe violation at ${viewport.width} px`, async () => {
      await signedIn.setViewportSize(viewport)
      const tooWide: string[] = []
      const pages = [
        '/projects', `/projects/${project.id}`, `/projects/${project.id}/edit`, '/projects/new',
        '/products', `/products/${method.id}`, `/products/${method.id}/edit`, `/products/new?project_id=${project.id}`, '/ideas',
      ]
      for (const path of pages) {
        const res = await signedIn.goto(path)
        expect(res?.status(), path).toBe(200)
        const violations = await seriousViolations(signedIn)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(signedIn)
        if (scrollWidth > viewport.width + 1) tooWide.push(`${path}: ${scrollWidth} px`)
      }
      expect(tooWide).toEqual([])
    })
  }

  it('adds a partner to a project by searching for the organisation, with the keyboard', async () => {
    await signedIn.setViewportSize(DESKTOP)
    await signedIn.request.post('/api/v1/organisations', { data: { name: 'Västra Götalandsregionen', kind: 'region' } })
    await signedIn.goto(`/projects/${project.id}/edit`)
    await signedIn.locator('#f-partners\\.1\\.organisation_id').fill('Västra')
    await signedIn.locator('#f-partners\\.1\\.organisation_id-listbox [role=option]', { hasText: 'Västra Götalandsregionen' }).waitFor()
    await signedIn.keyboard.press('ArrowDown')
    await signedIn.keyboard.press('Enter')
    expect(await signedIn.locator('#f-partners\\.1\\.organisation_id').inputValue()).toBe('Västra Götalandsregionen')
    await signedIn.locator('#f-partners\\.1\\.role').fill('Vårdgivare')
    await Promise.all([signedIn.waitForURL(`**/projects/${project.id}`), signedIn.locator('#f-partners\\.1\\.role').press('Enter')])
    expect(await signedIn.locator('.flash').textContent()).toContain('Ändringarna är sparade.')
    expect(await signedIn.locator('#partners-h + ul li').allTextContents()).toEqual(['Region Skåne – Vårdgivare', 'Västra Götalandsregionen – Vårdgivare'])
  })
})
