import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  helpUrl: string
  nodes: { target: string[]; failureSummary: string }[]
}

/** Waits until htmx has filled every section slot of a record page (web/sections.ts) it loads. */
export async function sectionsLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.section-slot .section-placeholder'), undefined, { timeout: 15_000 })
}

/**
 * Runs axe-core in the page and returns its serious and critical violations.
 * The page's CSP (`script-src 'self'`) blocks an inline <script>, so axe is evaluated through
 * the DevTools protocol (page.evaluate), which the CSP does not govern.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await sectionsLoaded(page)
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!loaded) await page.evaluate(axeSource)
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }))
  }, AXE_TAGS)
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** One line per violation and node: rule id, impact, target selector, and axe's summary. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) =>
      [`${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`, ...v.nodes.map((n) => `    at ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`)].join('\n'),
    )
    .join('\n')
}
