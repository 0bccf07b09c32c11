import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { eta } from '../../src/web/render.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

// `npm start` runs without NODE_ENV: it read and compiled every view of a page from disk again for
// every request (bench/README.md, *Templates compiled once*).
describe('the page templates', () => {
  let t: TestApp
  let cookie: string
  beforeAll(async () => {
    t = await testApp()
    cookie = (await t.browser('admin')).cookie
  })
  afterAll(() => t?.close())

  const cached = () => ({ ...(eta.templatesSync as unknown as { cache: Record<string, unknown> }).cache })

  it('are compiled once, at first use, and the compiled view serves the next requests', async () => {
    const res = await t.request('/contacts', { headers: { cookie } })
    expect(res.status).toBe(200)
    const first = cached()
    const views = Object.keys(first).filter((k) => k.endsWith('.eta'))
    expect(views.length).toBeGreaterThan(2) // the layout, the list, its rows
    expect((await t.request('/contacts', { headers: { cookie } })).status).toBe(200)
    const second = cached()
    for (const view of views) expect(second[view]).toBe(first[view])
  })

  it('are read again at every request in development only (NODE_ENV=development), so an edit shows', async () => {
    expect(process.env.NODE_ENV).not.toBe('development')
    vi.stubEnv('NODE_ENV', 'development')
    vi.resetModules()
    try {
      const { eta: development } = await import('../../src/web/render.ts')
      expect(development.config.cache).toBe(false)
    } finally {
      vi.unstubAllEnvs()
      vi.resetModules()
    }
  })
})
