import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

const page = (path: string) => t.request(path, { headers: { cookie: editor.cookie } })
const post = (path: string, fields: Record<string, string>) => t.request(path, formPost(fields, editor.cookie))

describe('the alliance form: several members and their commitments in one go', () => {
  it('offers a button that adds member rows from a template, and the empty row as a commitment’s "who"', async () => {
    const html = await (await page('/alliances/new')).text()
    expect(html).toContain('<button type="button" class="button" data-add-row="member-row-template" data-add-to="member-rows" data-next="1" hidden>Lägg till en medlemsrad</button>')
    const template = html.split('<template id="member-row-template">')[1]!.split('</template>')[0]!
    expect(template).toContain('<legend>Medlem __n__</legend>')
    expect(template).toContain('name="members.__i__.organisation_id~organisation"')
    expect(template).toContain('name="members.__i__.role"')
    expect(html).toContain('<option value="@members.0">Den nya medlemmen på rad 1</option>')
  })

  it('saves several new members and commitments naming members added in the same submission', async () => {
    const [a, b, c] = await Promise.all([h.organisation('Länsstyrelsen i Västerbottens län'), h.organisation('Umeå kommun'), h.organisation('Röda Korset Umeå')])
    const res = await post('/alliances', {
      name: 'Västerbottensalliansen', status: 'exploring',
      'members.0.organisation_id': a.id, 'members.0.role': 'lead',
      'members.1.organisation_id': b.id, 'members.1.role': 'partner',
      // A row added in the browser, its organisation typed by name.
      'members.2.organisation_id': '', 'members.2.organisation_id~organisation': 'Röda Korset Umeå', 'members.2.role': 'supporter',
      'commitments.0.organisation_id': '@members.2', 'commitments.0.description': 'Ordna språkcaféer', 'commitments.0.status': 'open',
      'commitments.1.organisation_id': '@members.1', 'commitments.1.description': 'Låna ut lokaler', 'commitments.1.status': 'open',
      'commitments.2.organisation_id': a.id, 'commitments.2.description': 'Sammankalla', 'commitments.2.status': 'open',
    })
    expect(res.status, await res.clone().text()).toBe(303)
    const id = res.headers.get('location')!.split('/').pop()!
    const stored = await h.get(`/api/v1/alliances/${id}`)
    expect(stored.members.map((m: { organisation_id: string; role: string }) => [m.organisation_id, m.role]).sort()).toEqual([[a.id, 'lead'], [b.id, 'partner'], [c.id, 'supporter']].sort())
    const by = Object.fromEntries(stored.commitments.map((k: { description: string; organisation_id: string }) => [k.description, k.organisation_id]))
    expect(by).toEqual({ 'Ordna språkcaféer': c.id, 'Låna ut lokaler': b.id, Sammankalla: a.id })
  })

  it('refuses a commitment naming an empty member row, next to its "who", keeping the rows', async () => {
    const a = await h.organisation('Region Västerbotten')
    const res = await post('/alliances', {
      name: 'Tomradsalliansen', status: 'exploring',
      'members.0.organisation_id': a.id, 'members.0.role': 'lead',
      'members.1.organisation_id': '', 'members.1.role': 'partner',
      'commitments.0.organisation_id': '@members.1', 'commitments.0.description': 'Något', 'commitments.0.status': 'open',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-commitments.0.organisation_id-error"')
    expect(html).toContain('value="Något"')
    expect(html).toContain('<option value="@members.1">Den nya medlemmen på rad 2</option>')
  })
})
