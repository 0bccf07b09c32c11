import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

/** Waits until the graph has been laid out and drawn; returns what the container says about it. */
async function drawn(page: Page, run?: string): Promise<{ nodes: number; edges: number; run: string }> {
  const graph = page.locator('#network-graph')
  await page.waitForFunction((previous) => {
    const done = document.getElementById('network-graph')?.dataset.layoutDone
    return done !== undefined && done !== previous
  }, run ?? null)
  return {
    nodes: Number(await graph.getAttribute('data-node-count')),
    edges: Number(await graph.getAttribute('data-edge-count')),
    run: (await graph.getAttribute('data-layout-done'))!,
  }
}

// Where Cytoscape drew an element, found through the instance it registers on its container
// (the page itself exposes no global): the point to click, in page coordinates.
async function pointOf(page: Page, id: string, kind: 'node' | 'edge' = 'node'): Promise<{ x: number; y: number }> {
  await page.locator('#network-graph').scrollIntoViewIfNeeded()
  // Cytoscape learns where its container is from the scroll event, which comes with the next frame.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const box = (await page.locator('#network-graph').boundingBox())!
  const p = await page.evaluate(
    ({ id, kind }) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      const ele = cy.getElementById(id)
      return kind === 'node' ? ele.renderedPosition() : ele.renderedMidpoint()
    },
    { id, kind },
  )
  return { x: box.x + p.x, y: box.y + p.y }
}

async function modelPosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate((id) => {
    const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
    return cy.getElementById(id).position()
  }, id)
}

/** Every node separately: people not folded into their organisations. */
const ALL = '/network?people=show'

e2eDescribe('the network page in the browser', () => {
  const e2e = useE2E()
  let page: Page
  const ids = {} as Record<'mig' | 'lst' | 'malmo' | 'lonely' | 'greta' | 'hugo' | 'ida', string>

  beforeAll(async () => {
    page = await e2e.signedInPage()
    ids.mig = (await post(page, '/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority' })).id
    ids.lst = (await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board', county: 'Kalmar län' })).id
    ids.malmo = (await post(page, '/api/v1/organisations', { name: 'Malmö stad', kind: 'municipality', county: 'Skåne län' })).id
    ids.lonely = (await post(page, '/api/v1/organisations', { name: 'Föreningen Ensam', kind: 'ngo' })).id
    ids.greta = (await post(page, '/api/v1/contacts', { first_name: 'Greta', last_name: 'Gran', affiliations: [{ organisation_id: ids.mig }] })).id
    ids.hugo = (await post(page, '/api/v1/contacts', { first_name: 'Hugo', last_name: 'Holm', affiliations: [{ organisation_id: ids.mig }, { organisation_id: ids.lst }] })).id
    ids.ida = (await post(page, '/api/v1/contacts', { first_name: 'Ida', last_name: 'Ivarsson', affiliations: [{ organisation_id: ids.lst }, { organisation_id: ids.malmo }] })).id
  })

  it('draws one node per record of the view and one line per link', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(ALL)
    const api = (await (await page.request.get('/api/v1/network')).json()) as { nodes: unknown[]; edges: unknown[] }
    const graph = await drawn(page)
    expect(graph).toMatchObject({ nodes: 7, edges: 5 })
    expect(api.nodes).toHaveLength(7)
    expect(await page.locator('#network-graph canvas').count()).toBeGreaterThan(0)
    expect(await page.locator('#network-status').textContent()).toBe('Visar 7 noder och 5 kopplingar.')
  })

  it('shows organisations with their people folded in by default, and a chosen organisation\'s people on demand', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/network')
    const { run, nodes, edges } = await drawn(page)
    expect({ nodes, edges }).toEqual({ nodes: 4, edges: 0 })
    const label = (id: string) => page.evaluate((id) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      return cy.getElementById(id).data('display') as string
    }, id)
    expect(await label(ids.mig)).toBe('Migrationsverket (+2 pers.)')
    expect(await label(ids.lonely)).toBe('Föreningen Ensam')
    await page.locator('#network-find').fill('Migrationsverket')
    await page.locator('#network-find').press('Enter')
    await page.locator('#network-selection button', { hasText: 'Visa personerna (2)' }).click()
    const opened = await drawn(page, run)
    expect(opened).toMatchObject({ nodes: 6, edges: 3 })
    expect(new URL(page.url()).searchParams.getAll('unfold')).toEqual([ids.mig])
    await expect.poll(() => page.locator('#network-graph').getAttribute('data-selected')).toBe(ids.mig)
    expect(await label(ids.mig)).toBe('Migrationsverket (+2 pers.)')
  })

  it('gives the graph the screen at 1280×800: near the top, as high as the window, settings beside it fold away', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(ALL)
    await drawn(page)
    const graph = page.locator('#network-graph')
    const box = (await graph.boundingBox())!
    expect(box.y, 'the canvas starts near the top').toBeLessThan(160)
    expect(box.y + box.height, 'the canvas reaches the bottom of the window').toBeGreaterThan(DESKTOP.height - 24)
    expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP.height)
    expect(await page.locator('#network-form').isVisible()).toBe(true)
    const toggle = page.locator('#network-controls-toggle')
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('#network-form').isVisible()).toBe(false)
    expect((await graph.boundingBox())!.width).toBeGreaterThan(box.width + 200)
    await toggle.click()
    expect(await page.locator('#network-form').isVisible()).toBe(true)
  })

  it('shows the card of a node over the graph and closes it again', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(ALL)
    await drawn(page)
    expect(await page.locator('#network-panel').isVisible()).toBe(false)
    await page.locator('#network-find').fill('Hugo')
    await page.locator('#network-find').press('Enter')
    await page.locator('#network-panel').waitFor({ state: 'visible' })
    const graph = (await page.locator('#network-graph').boundingBox())!
    const panel = (await page.locator('#network-panel').boundingBox())!
    expect(panel.y).toBeGreaterThanOrEqual(graph.y)
    expect(panel.x + panel.width).toBeLessThanOrEqual(graph.x + graph.width)
    await page.locator('#network-panel-close').click()
    expect(await page.locator('#network-panel').isVisible()).toBe(false)
    expect(await page.locator('#network-graph').getAttribute('data-selected')).toBeNull()
  })

  it('is usable at 375 px: the graph first, the settings behind a button, the card as a drawer', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto(ALL)
    await drawn(page)
    const box = (await page.locator('#network-graph').boundingBox())!
    expect(box.y, 'the canvas starts near the top').toBeLessThan(260)
    expect(box.width).toBeGreaterThan(330)
    expect(box.y + box.height).toBeGreaterThan(MOBILE.height - 24)
    expect(await page.locator('#network-form').isVisible()).toBe(false)
    const toggle = page.locator('#network-controls-toggle')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await page.locator('#network-form').isVisible()).toBe(true)
    await toggle.click()
    await page.locator('#network-find').fill('Hugo')
    await page.locator('#network-find').press('Enter')
    await page.locator('#network-panel').waitFor({ state: 'visible' })
    const panel = (await page.locator('#network-panel').boundingBox())!
    expect(panel.width).toBeGreaterThan(300)
    expect(panel.y + panel.height).toBeLessThanOrEqual(box.y + box.height)
    await page.setViewportSize(DESKTOP)
  })

  it('names the most central nodes, never two names over each other, and marks the focus of an ego view', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`${ALL}&focus=${ids.hugo}&depth=2`)
    await drawn(page)
    const seen = await page.evaluate((focus) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      const named = cy.nodes().filter((n: any) => n.hasClass('lbl') || n.hasClass('lbl-key') || n.selected() || n.hasClass('focus'))
      const boxes = named.map((n: any) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }))
      let overlaps = 0
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j]
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++
      }
      const top = cy.nodes().max((n: any) => n.data('degree')).ele
      const f = cy.getElementById(focus)
      return { overlaps, named: named.length, topNamed: named.contains(top), focusMarked: f.hasClass('focus'), focusLabel: f.style('label'), focusBorder: f.style('border-width') }
    }, ids.hugo)
    expect(seen.overlaps).toBe(0)
    expect(seen.named).toBeGreaterThan(1)
    expect(seen.topNamed).toBe(true)
    expect(seen.focusMarked).toBe(true)
    expect(seen.focusLabel).toBe('Hugo Holm')
    expect(seen.focusBorder).toBe('6px')
  })

  it('names each group after its most central member and says in plain words what the measures mean', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`${ALL}&colour=community`)
    await drawn(page)
    const legend = await page.locator('.network-legend').innerText()
    // Hugo and Länsstyrelsen lie on the most shortest paths (betweenness): one of them names the group.
    expect(legend).toMatch(/Gruppen kring (Hugo Holm|Länsstyrelsen i Kalmar län) \(\d+ noder\)/)
    expect(await page.locator('#network-terms').innerText()).toContain('kortaste vägen mellan två andra')
    await page.locator('#network-find').fill('Greta')
    await page.locator('#network-find').press('Enter')
    await expect.poll(() => page.locator('#network-selection').innerText()).toMatch(/Grupp\nkring /)
  })

  it('lets an editor rename a group from the legend, with the keyboard; the name is kept when the page is loaded again', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`${ALL}&colour=community`)
    await drawn(page)
    const key = page.locator('.network-legend .community-key').first()
    const central = /Gruppen kring (.+) \(\d+ noder\)/.exec(await key.locator('.community-name').innerText())![1]!
    await key.locator('summary').focus()
    await page.keyboard.press('Enter')
    const field = key.getByLabel(`Namn på gruppen kring ${central}`)
    await field.fill('Kalmargruppen')
    await Promise.all([page.waitForLoadState('load'), field.press('Enter')])
    await drawn(page)
    expect(new URL(page.url()).searchParams.get('colour')).toBe('community')
    expect(await page.locator('.network-legend').innerText()).toContain(`Kalmargruppen – kring ${central}`)
    // Loaded afresh (the layout and the communities computed again): still the same name, on the canvas's card too.
    await page.reload()
    await drawn(page)
    expect(await page.locator('.network-legend').innerText()).toContain(`Kalmargruppen – kring ${central}`)
    await page.locator('#network-find').fill('Greta')
    await page.locator('#network-find').press('Enter')
    await expect.poll(() => page.locator('#network-selection').innerText()).toMatch(/Grupp\n(Kalmargruppen|kring )/)
  })

  it('opens the card of a clicked node in the side panel, with a link to its page', async () => {
    await page.goto(ALL)
    await drawn(page)
    const at = await pointOf(page, ids.lst)
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => page.locator('#network-selection h3').textContent()).toBe('Länsstyrelsen i Kalmar län')
    await page.locator('#network-card a[href="/organisations/' + ids.lst + '"]').first().waitFor()
    expect(await page.locator('#network-graph').getAttribute('data-selected')).toBe(ids.lst)
    expect(await page.locator('#network-selection').innerText()).toContain('Grad\n2')
  })

  it('explains a clicked link with the records behind it', async () => {
    await page.goto(ALL)
    await drawn(page)
    const edge = await page.evaluate((hugo) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      return cy.getElementById(hugo).connectedEdges()[0].id() as string
    }, ids.hugo)
    const at = await pointOf(page, edge, 'edge')
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => page.locator('#network-selection h3').textContent()).toBe('Koppling')
    await page.locator('#network-card h3', { hasText: 'Varför kopplingen finns' }).waitFor()
    expect(await page.locator('#network-card a').count()).toBeGreaterThan(0)
  })

  it('keeps the nodes where they were when a filter leaves some out', async () => {
    await page.goto(ALL)
    await drawn(page)
    const before = await modelPosition(page, ids.hugo)
    const run = (await page.locator('#network-graph').getAttribute('data-layout-done'))!
    await page.locator('details.network-group summary', { hasText: 'Filtrera' }).click()
    await page.locator('#f-county').selectOption('Kalmar län')
    const after = await drawn(page, run)
    expect(after.nodes).toBeLessThan(7)
    // The address is the view, to share: the chosen filter and nothing empty.
    expect([...new URL(page.url()).searchParams]).toEqual([['people', 'show'], ['county', 'Kalmar län']])
    expect(await modelPosition(page, ids.hugo)).toEqual(before)
  })

  it('filtering by kind of organisation also hides the people linked only through the hidden ones', async () => {
    await page.goto(ALL)
    const { run } = await drawn(page)
    await page.locator('details.network-group summary', { hasText: 'Filtrera' }).click()
    await page.locator('#f-kind').selectOption('county_board')
    await drawn(page, run)
    const shown = await page.evaluate(() => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      return cy.nodes().map((n: any) => n.id()) as string[]
    })
    // Greta works only at Migrationsverket (an authority): she goes with it; Hugo and Ida also work at the county board.
    expect(shown.sort()).toEqual([ids.lst, ids.hugo, ids.ida].sort())
  })

  it('narrows the graph to the ego network of the selected node with "Fokusera här"', async () => {
    await page.goto(ALL)
    const { run } = await drawn(page)
    await page.locator('#network-find').fill('Greta')
    await page.locator('#network-find').press('Enter')
    await page.locator('#network-selection button', { hasText: 'Fokusera här' }).click()
    const ego = await drawn(page, run)
    expect(ego.nodes).toBe(2)
    expect(new URL(page.url()).searchParams.get('focus')).toBe(ids.greta)
    expect(await page.locator('#network-focus-text').innerText()).toContain('Fokus på Greta Gran')
    expect(await page.locator('#f-focus').inputValue()).toBe(ids.greta)
  })

  it('shows the network of an earlier day chosen with the day slider', async () => {
    await page.goto(ALL)
    const { run } = await drawn(page)
    await page.locator('details.network-group summary', { hasText: 'Tid' }).click()
    const slider = page.locator('#network-at-slider')
    await slider.focus()
    // It starts at today; Home goes to the first month the register knows of, and it moves a month a step.
    await page.keyboard.press('Home')
    const day = await page.locator('#f-at').inputValue()
    expect(day).toMatch(/^\d{4}-\d{2}-01$/)
    const monthName = new Intl.DateTimeFormat('sv', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(day + 'T00:00:00Z'))
    expect(await slider.getAttribute('aria-valuetext')).toBe(monthName)
    expect(await page.locator('#network-at-month').textContent()).toBe(monthName)
    const first = await drawn(page, run)
    expect(new URL(page.url()).searchParams.get('at')).toBe(day)
    await slider.focus()
    await page.keyboard.press('ArrowRight')
    const next = new Date(Date.parse(day + 'T00:00:00Z'))
    next.setUTCMonth(next.getUTCMonth() + 1)
    expect(await page.locator('#f-at').inputValue()).toBe(next.toISOString().slice(0, 10))
    await drawn(page, first.run)
    // Year labels under it, not day steps.
    const max = Number(await slider.getAttribute('max'))
    const today = new Date()
    expect(max).toBe((today.getUTCFullYear() - Number(day.slice(0, 4))) * 12 + today.getUTCMonth() - (Number(day.slice(5, 7)) - 1))
    expect(await page.locator('#network-at-years span').first().textContent()).toBe(day.slice(0, 4))
  })

  it('on a chosen day leaves out what had no relationship then, and shows it when asked', async () => {
    await page.goto(`${ALL}&at=2024-01-15`)
    const { run } = await drawn(page)
    const has = (id: string) => page.evaluate((id) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      return cy.getElementById(id).nonempty() as boolean
    }, id)
    expect(await has(ids.lonely)).toBe(false)
    expect(await has(ids.mig)).toBe(true)
    await page.locator('#f-unlinked').check()
    await drawn(page, run)
    expect(await has(ids.lonely)).toBe(true)
    expect(new URL(page.url()).searchParams.get('unlinked')).toBe('show')
  })

  it('opens a collapsed group when it is clicked', async () => {
    await page.goto(`${ALL}&cluster=community`)
    const before = await drawn(page)
    const group = await page.evaluate(() => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      return cy.nodes('[type = "cluster"]').sort((a: any, b: any) => b.data('count') - a.data('count'))[0].id() as string
    })
    const at = await pointOf(page, group)
    await page.mouse.click(at.x, at.y)
    const after = await drawn(page, before.run)
    expect(new URL(page.url()).searchParams.getAll('expand')).toEqual([group])
    expect(after.nodes).toBeGreaterThan(before.nodes)
  })

  it('finds a node by name with the keyboard only and selects it', async () => {
    await page.goto(ALL)
    await drawn(page)
    await page.locator('body').focus()
    let reached = false
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab')
      reached = await page.evaluate(() => document.activeElement?.id === 'network-find')
    }
    expect(reached, 'the search box is reachable with Tab').toBe(true)
    await page.keyboard.type('hugo')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#network-graph').getAttribute('data-selected')).toBe(ids.hugo)
    expect(await page.locator('#network-status').textContent()).toBe('Vald: Hugo Holm')
    expect(await page.locator('#network-selection h3').textContent()).toBe('Hugo Holm')
    // The graph itself takes the keyboard: it can be focused and moved.
    await page.locator('#network-graph').focus()
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Escape')
    expect(await page.locator('#network-graph').getAttribute('data-selected')).toBeNull()
  })

  it('shows the same view as tables, opened from the tab with the keyboard', async () => {
    await page.goto(ALL)
    await drawn(page)
    await page.locator('#network-tabs a', { hasText: 'Tabell' }).focus()
    await Promise.all([page.waitForURL((u) => u.searchParams.get('view') === 'table'), page.keyboard.press('Enter')])
    expect(await page.locator('#network-nodes tbody tr').count()).toBe(7)
    expect(await page.locator('#network-edges tbody tr').count()).toBe(5)
    await Promise.all([page.waitForURL((u) => u.searchParams.get('sort') === 'label'), page.locator('#network-nodes th a', { hasText: 'Namn' }).click()])
    expect(await page.locator('#network-nodes tbody th').first().textContent()).toBe('Föreningen Ensam')
  })

  it('lays the graph out in rings by a measure or in a grid by type when asked', async () => {
    await page.goto(ALL)
    let { run } = await drawn(page)
    for (const layout of ['concentric', 'grid', 'fcose']) {
      await page.locator('#f-layout').selectOption(layout)
      const again = await drawn(page, run)
      expect(again.nodes, layout).toBe(7)
      run = again.run
    }
    expect(new URL(page.url()).searchParams.get('layout')).toBeNull()
  })

  it('saves the picture of the current view as a PNG with a title, the day and the legend', async () => {
    await page.goto(`${ALL}&at=2024-05-01`)
    await drawn(page)
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#network-png').click()])
    expect(download.suggestedFilename()).toBe('natverk-2024-05-01.png')
    const fs = await import('node:fs')
    const bytes = fs.readFileSync((await download.path())!)
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    expect(await page.locator('#network-graph').getAttribute('data-png-legend')).toBe('2')
    // Ink in the title band above the graph and in the legend band below it.
    const ink = await page.evaluate(async (b64) => {
      const blob = new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' })
      const img = await createImageBitmap(blob)
      const c = document.createElement('canvas')
      c.width = img.width
      c.height = img.height
      const ctx = c.getContext('2d', { willReadFrequently: true })!
      ctx.drawImage(img, 0, 0)
      const dark = (y0: number, y1: number) => {
        const d = ctx.getImageData(0, y0, img.width, y1 - y0).data
        let n = 0
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 120 && d[i + 1]! < 120 && d[i + 2]! < 120) n++
        return n
      }
      return { title: dark(20, 70), day: dark(74, 104), legend: dark(img.height - 60, img.height) }
    }, bytes.toString('base64'))
    expect(ink.title).toBeGreaterThan(200)
    expect(ink.day).toBeGreaterThan(100)
    expect(ink.legend).toBeGreaterThan(100)
  })

  it('saves a named view with its filters and node positions, and a colleague opens it by its link', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`${ALL}&county=Kalmar län`)
    await drawn(page)
    // Move a node: the saved view keeps where it lies.
    const moved = await page.evaluate((id) => {
      const cy = (document.getElementById('network-graph') as unknown as { _cyreg: { cy: any } })._cyreg.cy
      cy.getElementById(id).position({ x: 1234, y: -567 })
      return cy.getElementById(id).position()
    }, ids.lst)
    await page.locator('#network-save-name').fill('Kalmar län, för styrgruppen')
    await Promise.all([page.waitForURL((u) => u.searchParams.has('saved')), page.locator('#network-save-form button[type=submit]').click()])
    const url = new URL(page.url())
    expect(url.searchParams.get('county')).toBe('Kalmar län')
    expect(url.searchParams.get('people')).toBe('show')
    await drawn(page)
    expect(await page.locator('#network-saved').innerText()).toContain('Visar den sparade vyn "Kalmar län, för styrgruppen".')
    const link = page.locator('#network-saved-list a', { hasText: 'Kalmar län, för styrgruppen' })
    const href = (await link.getAttribute('href'))!
    expect(href).toMatch(/^\/network\/views\/[0-9a-f-]{36}$/)
    // Opened by its link in another session (a colleague's browser).
    const other = await e2e.signedInPage()
    await other.goto(href)
    await drawn(other)
    expect(new URL(other.url()).searchParams.get('county')).toBe('Kalmar län')
    expect(await modelPosition(other, ids.lst)).toEqual(moved)
    await other.context().close()
  })

  it('renames and removes a saved view from its list, with the keyboard', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(ALL)
    await drawn(page)
    await page.locator('#network-save-name').fill('Att byta namn på')
    await Promise.all([page.waitForURL((u) => u.searchParams.has('saved')), page.locator('#network-save-form button[type=submit]').click()])
    await drawn(page)
    const item = page.locator('#network-saved-list li', { hasText: 'Att byta namn på' })
    await item.locator('summary').focus()
    await page.keyboard.press('Enter')
    const field = item.getByLabel('Vyns namn')
    await field.fill('Nytt namn på vyn')
    await Promise.all([page.waitForLoadState('load'), field.press('Enter')])
    await drawn(page)
    expect(await page.locator('#network-saved-list').innerText()).toContain('Nytt namn på vyn')
    const renamed = page.locator('#network-saved-list li', { hasText: 'Nytt namn på vyn' })
    await renamed.locator('summary').click()
    await Promise.all([page.waitForLoadState('load'), renamed.getByRole('button', { name: /Ta bort vyn/ }).click()])
    await drawn(page)
    expect(await page.locator('#network-saved').innerText()).not.toContain('Nytt namn på vyn')
  })

  it('lists who gained and lost which relationship when, for two chosen days', async () => {
    // Last: it adds a person the tests above do not count.
    await post(page, '/api/v1/contacts', {
      first_name: 'Nils', last_name: 'Nyström',
      affiliations: [{ organisation_id: ids.malmo, start_date: '2022-03-01' }, { organisation_id: ids.lonely, start_date: '2019-01-01', end_date: '2021-05-31' }],
    })
    await page.setViewportSize(DESKTOP)
    await page.goto(`${ALL}&mode=changes&from=2021-01-01&to=2023-01-01`)
    await drawn(page)
    const table = page.locator('#network-changes')
    await table.waitFor()
    const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())))
    expect(cells).toEqual([
      ['Förlorad', 'Nils Nyström', 'arbetar på', 'Föreningen Ensam', '2021-05-31'],
      ['Ny', 'Nils Nyström', 'arbetar på', 'Malmö stad', '2022-03-01'],
    ])
  })

  it('finds a node by a name typed with other letters, as every search folds them (Malmø for Malmö)', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(ALL)
    await drawn(page)
    await page.locator('#network-find').fill('Malmø')
    await page.locator('#network-find').press('Enter')
    await expect.poll(() => page.locator('#network-graph').getAttribute('data-selected')).toBe(ids.malmo)
  })

  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the graph and the table view with no serious axe violation at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      for (const path of ['/network', `/network?focus=${ids.hugo}&depth=2&colour=community`, '/network?view=table']) {
        const res = await page.goto(path)
        expect(res?.status(), path).toBe(200)
        if (!path.includes('table')) await drawn(page)
        const violations = await seriousViolations(page)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(page)
        expect(scrollWidth, path).toBeLessThanOrEqual(viewport.width + 1)
      }
    })
  }
})
