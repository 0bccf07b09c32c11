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

  it('creates the admin and then the network in their name, with follow-ups for them', { timeout: 240_000 }, async () => {
    t = await testApp()
    const res = await t.request('/setup', formPost({ ...admin, demo: '1' }))
    expect(res.status).toBe(303)
    const user = await t.db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()
    expect(await organisations()).toBeGreaterThanOrEqual(200)
    const followUps = await t.db.selectFrom('interactions').select('id').where('follow_up_assignee_id', '=', user.id).execute()
    expect(followUps.length).toBeGreaterThan(0)
    const authors = await t.db.selectFrom('audit_log').select('user_id').distinct().where('entity_type', '=', 'organisation').execute()
    expect(authors).toEqual([{ user_id: user.id }])
    expect(cookieFrom(res, 'flash')).toBe('setup.done_demo')
    const home = await t.request('/', { headers: { cookie: `session=${cookieFrom(res, 'session')}; flash=setup.done_demo` } })
    expect(await home.text()).toContain('demonätverket är laddat')
  })

  it('leaves the register empty when the box is not ticked', async () => {
    t = await testApp()
    expect((await t.request('/setup', formPost(admin))).status).toBe(303)
    expect(await organisations()).toBe(0)
  })
})
