import { describe, expect, it } from 'vitest'
import { DEMO_ORGANISATIONS, DEMO_THEMES } from '../../src/seed/demo-data.ts'
import { DEMO_PRODUCTS, DEMO_PROJECTS } from '../../src/seed/demo-projects.ts'

// A name that matches nothing would silently drop a lead, partner, theme or project from the demo.
describe('the demo projects and products as data', () => {
  const organisations = new Set(DEMO_ORGANISATIONS.map((o) => o.name))
  const themes = new Set(DEMO_THEMES.flatMap((th) => [th.name, ...(th.children ?? []).map((ch) => `${th.name}/${ch.name}`)]))
  const projects = new Set(DEMO_PROJECTS.map((p) => p.name))

  it('names only organisations and themes of the demo network', () => {
    const unknownOrgs = DEMO_PROJECTS.flatMap((p) => [p.lead, ...p.partners.map(([name]) => name)]).filter((name) => !organisations.has(name))
    expect(unknownOrgs).toEqual([])
    const unknownThemes = [...DEMO_PROJECTS, ...DEMO_PRODUCTS].flatMap((x) => x.themes).filter((path) => !themes.has(path))
    expect(unknownThemes).toEqual([])
  })

  it('gives every product a project of the demo, a title of its own, and a summary when it is public', () => {
    expect(DEMO_PRODUCTS.filter((p) => p.project && !projects.has(p.project)).map((p) => p.title)).toEqual([])
    expect(new Set(DEMO_PRODUCTS.map((p) => p.title.toLowerCase())).size).toBe(DEMO_PRODUCTS.length)
    expect(projects.size).toBe(DEMO_PROJECTS.length)
    expect(DEMO_PRODUCTS.filter((p) => p.public && !p.summary).map((p) => p.title)).toEqual([])
  })

  it('lets Equal development partnerships lead projects', () => {
    const kinds = new Map(DEMO_ORGANISATIONS.map((o) => [o.name, o.kind]))
    expect(DEMO_PROJECTS.filter((p) => kinds.get(p.lead) === 'partnership').map((p) => p.name)).toEqual(
      expect.arrayContaining(['ReKOMP – hälsokommunikatörer', '4 i samverkan']),
    )
  })
})
