import { afterEach, describe, expect, it } from 'vitest'
import { cookieFrom, formPost, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
afterEach(() => t.close())

const admin = { name: 'Maja Admin', email: 'maja@example.se', password: 'first admin password' }
const organisations = async () => Number((await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

describe('loading the demo network from /setup', () => {
  it('offers the demo network as a labelled checkbox', async () => {
    t = await testApp()
    const html = await (await t.request('/setup')).text()
    expect(html).toMatch(/<input type="checkbox" id="f-demo" name="demo" value="1"/)
    expect(html).toContain('<label for="f-demo">Ladda demonätverket</label>')
  })

  it('creates the admin, shows how far the load has come, and ends on the dashboard with the network in their name', { timeout: 240_000 }, async () => {
    t = await testApp()
    const res = await t.request('/setup', formPost({ ...admin, demo: '1' }))
    // The answer comes at once: the load goes on in the background, its page shows how far.
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/setup/demo')
    const cookie = `session=${cookieFrom(res, 'session')}`
    const page = await t.request('/setup/demo', { headers: { cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/<progress id="demo-bar" max="100" value="\d+">/)
    expect(html).toMatch(/\d+ % klart – /)
    expect(html).toContain('hx-trigger="every 1s"')
    // Without script, a plain link refreshes the page.
    expect(html).toContain('<a href="/setup/demo">Uppdatera</a>')
    const fragment = await t.request('/setup/demo', { headers: { cookie, 'HX-Request': 'true' } })
    expect(await fragment.text()).toMatch(/^\s*<div class="import-progress" id="demo-progress"/)
    const percents: number[] = []
    let end: Response
    for (;;) {
      end = await t.request('/setup/demo', { headers: { cookie } })
      if (end.status !== 200) break
      percents.push(Number(/value="(\d+)"/.exec(await end.text())![1]))
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(percents).toEqual([...percents].sort((a, b) => a - b))
    expect(end.status).toBe(303)
    expect(end.headers.get('location')).toBe('/')
    expect(cookieFrom(end, 'flash')).toBe('setup.done_demo')
    expect(await t.db.selectFrom('demo_loads').select(['step', 'percent', 'status']).execute()).toEqual([{ step: 'done', percent: 100, status: 'done' }])
    const user = await t.db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()
    expect(await organisations()).toBeGreaterThanOrEqual(200)
    const followUps = await t.db.selectFrom('interactions').select('id').where('follow_up_assignee_id', '=', user.id).execute()
    expect(followUps.length).toBeGreaterThan(0)
    const authors = await t.db.selectFrom('audit_log').select('user_id').distinct().where('entity_type', '=', 'organisation').execute()
    expect(authors).toEqual([{ user_id: user.id }])
    const home = await t.request('/', { headers: { cookie: `${cookie}; flash=setup.done_demo` } })
    expect(await home.text()).toContain('demonätverket är laddat')
  })

  it('shows how far the load has come on every instance: read from the database, not from the loading instance', async () => {
    t = await testApp()
    const res = await t.request('/setup', formPost(admin))
    const cookie = `session=${cookieFrom(res, 'session')}`
    const user = await t.db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()
    // Another instance took the setup and is loading: this one has never started a load.
    await t.db.insertInto('demo_loads').values({ id: 1, admin_id: user.id, step: 'contacts', percent: 42, status: 'running' }).execute()
    const page = await t.request('/setup/demo', { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/<progress id="demo-bar" max="100" value="42">/)
    // Done there: done here.
    await t.db.updateTable('demo_loads').set({ step: 'done', percent: 100, status: 'done' }).execute()
    const done = await t.request('/setup/demo', { headers: { cookie } })
    expect(done.status).toBe(303)
    expect(cookieFrom(done, 'flash')).toBe('setup.done_demo')
    // An instance that died mid-way leaves "running"; silent for long, it reads as failed, not as a page polling for ever.
    await t.db.updateTable('demo_loads').set({ step: 'contacts', percent: 42, status: 'running', updated_at: new Date(Date.now() - 11 * 60_000) }).execute()
    const dead = await t.request('/setup/demo', { headers: { cookie } })
    expect(dead.status).toBe(303)
    expect(cookieFrom(dead, 'flash')).toBe('setup.demo_failed')
  })

  it('the progress page is for the signed-in admin only', async () => {
    t = await testApp()
    const res = await t.request('/setup/demo')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })

  it('leaves the register empty when the box is not ticked', async () => {
    t = await testApp()
    expect((await t.request('/setup', formPost(admin))).status).toBe(303)
    expect(await organisations()).toBe(0)
  })
})
