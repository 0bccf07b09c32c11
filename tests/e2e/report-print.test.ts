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
    if (process.env.REPORT_PDF) (await import('node:fs')).writeFileSync(process.env.REPORT_PDF, pdf)
  })

  it('draws its chart legible in black and white: each series patterned, values and totals written on it', async () => {
    await page.goto('/reports/period?from=2026-01-01&to=2026-12-31')
    await page.emulateMedia({ media: 'print' })
    const chart = await page.evaluate(() => {
      const svg = document.querySelector('#report-per-month svg')!
      const patternOf = (el: Element) => /^url\(#(.+)\)$/.exec(el.getAttribute('fill') ?? '')?.[1]
      // Per series (its colour class): the patterns drawn over its segments, each a <pattern> in the page.
      const bySeries = new Map<string, Set<string>>()
      for (const bar of svg.querySelectorAll('rect.chart-bar')) {
        const over = bar.nextElementSibling
        const id = over?.classList.contains('chart-hatch') ? patternOf(over) : undefined
        const set = bySeries.get(bar.getAttribute('class')!) ?? new Set<string>()
        set.add(id && document.getElementById(id)?.tagName === 'pattern' ? id : 'none')
        bySeries.set(bar.getAttribute('class')!, set)
      }
      return {
        patterns: [...bySeries.values()].map((set) => [...set]),
        values: [...svg.querySelectorAll('.chart-seg-value')].map((t) => t.textContent),
        totals: [...svg.querySelectorAll('.chart-total')].map((t) => t.textContent),
        legend: [...document.querySelectorAll('#report-per-month .chart-legend svg')].map((k) => patternOf(k.querySelector('rect[fill]') ?? k)),
      }
    })
    // Two types (workshops and seminars), each with one pattern of its own on every segment, the same in the legend.
    expect(chart.patterns).toHaveLength(2)
    expect(chart.patterns.every((p) => p.length === 1 && p[0] !== 'none')).toBe(true)
    expect(new Set(chart.patterns.flat()).size).toBe(2)
    expect(new Set(chart.legend)).toEqual(new Set(chart.patterns.flat()))
    // Six months, one activity each: the value in each segment, the total above each column.
    expect(chart.values).toEqual(['1', '1', '1', '1', '1', '1'])
    expect(chart.totals).toEqual(['1', '1', '1', '1', '1', '1'])
    // A figure of the document, not a poster (it was ~9 cm tall at the page's full width): 4–6 cm
    // tall, the legend beside it, the numbers' disclosure left to the table that follows.
    const CM = 96 / 2.54
    // As wide as an A4 page's print area (19 cm), where it was 9 cm tall.
    await page.setViewportSize({ width: Math.round(19 * CM), height: 1000 })
    const box = await page.evaluate(() => {
      const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect()
      const svg = r('#report-per-month svg.chart-svg')
      const legend = r('#report-per-month .chart-legend')
      return { height: svg.height, width: svg.width, svgRight: svg.right, legendLeft: legend.left, numbers: getComputedStyle(document.querySelector('#report-per-month .chart-data')!).display }
    })
    expect(box.height).toBeGreaterThanOrEqual(4 * CM)
    expect(box.height).toBeLessThanOrEqual(6 * CM)
    expect(box.width).toBeLessThanOrEqual(12 * CM + 1)
    expect(box.legendLeft).toBeGreaterThanOrEqual(box.svgRight)
    expect(box.numbers).toBe('none')
    // The plans' bars carry their numbers as text as well.
    for (const text of await page.locator('#report-plans .plan-progress-text').allInnerTexts()) expect(text).toMatch(/\d+ av \d+/)
  })
})
