import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { findContact } from '../../src/contacts/contacts.repo.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { recordStatements } from '../helpers/statements.ts'

// Every read of contacts — the list, its API and export, a contact's page — adds each person's
// affiliations and last engagement. They were two statements more per read: on the embedded
// engine two more turns behind everyone else's, on PostgreSQL a second connection for each
// request (issue 15: the contacts list was over its 50 ms at ten connections). Now one.
let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const api = async (method: string, path: string, body?: unknown) => {
  const res = await t.request(path, jsonRequest(method, body, editor.headers))
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return (await res.json()) as { id: string }
}

let alva: string
let bertil: string
let current: string
let former: string

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  current = (await api('POST', '/api/v1/organisations', { name: 'Länsstyrelsen i Jämtlands län', kind: 'county_board' })).id
  former = (await api('POST', '/api/v1/organisations', { name: 'Region Jämtland Härjedalen', kind: 'region' })).id
  alva = (await api('POST', '/api/v1/contacts', {
    first_name: 'Alva', last_name: 'Läsesson', categories: [],
    affiliations: [
      { organisation_id: former, role: 'Utredare', start_date: '2019-01-01', end_date: '2022-06-30' },
      { organisation_id: current, role: 'Handläggare', start_date: '2022-08-01', primary: true },
    ],
  })).id
  bertil = (await api('POST', '/api/v1/contacts', { first_name: 'Bertil', last_name: 'Läsesson', categories: [] })).id
  await api('POST', '/api/v1/interactions', { kind: 'call', occurred_on: '2026-10-05', summary: 'Samtal om länsnätverket', contact_ids: [alva] })
})
afterAll(() => t.close())

describe('a read of contacts', () => {
  it('adds the affiliations and the last engagement of a whole page in one statement', async () => {
    const { db, ran } = recordStatements(t.db)
    const page = await contactList.page(db, { ...contactList.schema.parse({}), sort: 'name' } as never, { count: false, audience: 'viewer' })
    expect(page.data.map((c) => [c.first_name, c.last_engaged_on, c.affiliations.map((a) => [a.organisation_name, a.role, a.start_date, a.end_date, a.is_primary])])).toEqual([
      ['Alva', '2026-10-05', [
        // Current before former.
        ['Länsstyrelsen i Jämtlands län', 'Handläggare', '2022-08-01', null, true],
        ['Region Jämtland Härjedalen', 'Utredare', '2019-01-01', '2022-06-30', false],
      ]],
      ['Bertil', null, []],
    ])
    // The page's rows, then one statement for what each record adds.
    expect(ran).toHaveLength(2)
  })

  it('reads one contact the same way, in two statements', async () => {
    const { db, ran } = recordStatements(t.db)
    const one = await findContact(db, alva)
    expect(one?.affiliations.map((a) => a.organisation_id)).toEqual([current, former])
    expect(one?.last_engaged_on).toBe('2026-10-05')
    expect((await findContact(db, bertil))?.affiliations).toEqual([])
    expect(ran).toHaveLength(4)
  })
})
