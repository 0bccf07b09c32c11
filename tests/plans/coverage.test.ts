import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aggregateItems, coverageMatrix, type CoverageItem } from '../../src/plans/coverage.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { insertActivity } from './helpers.ts'

const item = (id: string, type: 'contact' | 'organisation', groups: string[], county: string | null, reached: boolean): CoverageItem => ({ id, type, groups, county, reached })

describe('the coverage matrix', () => {
  const items = [
    item('a', 'contact', ['official', 'decision_maker'], 'Kalmar län', true),
    item('b', 'contact', ['official'], 'Kalmar län', false),
    item('c', 'contact', ['official'], 'Skåne län', false),
    item('d', 'contact', [], null, true),
    item('o', 'organisation', ['county_board'], 'Skåne län', false),
  ]
  const people = coverageMatrix(aggregateItems(items), 'contact')

  it('counts reached of all per group and county, and marks a cell with no one reached as a gap', () => {
    const official = people.rows.find((r) => r.group === 'official')!
    const kalmar = people.columns.indexOf('Kalmar län')
    const skane = people.columns.indexOf('Skåne län')
    expect(official.cells[kalmar]).toEqual({ county: 'Kalmar län', reached: 1, total: 2, gap: false })
    expect(official.cells[skane]).toEqual({ county: 'Skåne län', reached: 0, total: 1, gap: true })
    expect(official.total).toMatchObject({ reached: 1, total: 3 })
  })

  it('counts a person in two categories in both rows but once in the column and grand totals', () => {
    const kalmar = people.columns.indexOf('Kalmar län')
    expect(people.rows.find((r) => r.group === 'decision_maker')!.cells[kalmar]).toMatchObject({ reached: 1, total: 1 })
    expect(people.columnTotals[kalmar]).toMatchObject({ reached: 1, total: 2 })
    expect(people.total).toMatchObject({ reached: 2, total: 4 })
  })

  it('has a column for people without a county and a row for those without a category, only when there are any', () => {
    expect(people.columns.at(-1)).toBeNull()
    expect(people.columns).toHaveLength(22)
    expect(people.rows.map((r) => r.group)).toEqual(['decision_maker', 'official', 'none'])
    const orgs = coverageMatrix(aggregateItems(items), 'organisation')
    expect(orgs.columns).toHaveLength(21)
    expect(orgs.rows.map((r) => r.group)).toEqual(['county_board'])
    expect(orgs.gaps).toBe(1)
    expect(people.gaps).toBe(1)
  })

  it('keeps every group for the whole network, so a group with no one in it shows too', () => {
    const all = coverageMatrix(aggregateItems(items), 'organisation', { allRows: true })
    expect(all.rows).toHaveLength(12)
    expect(all.rows.find((r) => r.group === 'ngo')!.cells.every((c) => c.total === 0 && !c.gap)).toBe(true)
  })
})

describe('the whole network’s coverage page', () => {
  let t: TestApp
  let cookie: string
  beforeAll(async () => {
    t = await testApp()
    cookie = (await t.browser('viewer')).cookie
  })
  afterAll(() => t.close())

  it('shows reached of all by category and county, gaps marked, and narrows to a period', async () => {
    const board = await t.db.insertInto('organisations').values({ name: 'Länsstyrelsen Gotland', sort_name: 'lansstyrelsen gotland', kind: 'county_board', county: 'Gotlands län' } as never).returning('id').executeTakeFirstOrThrow()
    const [reached, missed] = await t.db
      .insertInto('contacts')
      .values([
        { first_name: 'Gun', last_name: 'Gotländsk', sort_name: 'gun', categories: ['decision_maker'] },
        { first_name: 'Gert', last_name: 'Gotländsk', sort_name: 'gert', categories: ['decision_maker'], county: 'Gotlands län' },
      ] as never)
      .returning('id')
      .execute()
    await t.db.insertInto('affiliations').values({ contact_id: reached!.id, organisation_id: board.id, start_date: '2026-01-01' } as never).execute()
    await insertActivity(t.db, { start_date: '2026-03-01', participants: [{ contact_id: reached!.id }, { contact_id: missed!.id, attendance: 'no_show' }] })

    const html = await (await t.request('/plans/coverage', { headers: { cookie } })).text()
    const people = html.split('id="coverage-contact"')[1]!.split('</table>')[0]!
    const row = people.split('<th scope="row">Beslutsfattare</th>')[1]!.split('</tr>')[0]!
    expect(row).toContain('<td class="cell-reached">1 av 2</td>')
    const orgs = html.split('id="coverage-organisation"')[1]!.split('</table>')[0]!
    // The board is reached through the person working there on the day.
    expect(orgs.split('<th scope="row">Länsstyrelse</th>')[1]!.split('</tr>')[0]).toContain('<td class="cell-reached">1 av 1</td>')
    expect(orgs).toContain('<th scope="row">Kommun</th>')

    const later = await (await t.request('/plans/coverage?from=2026-04-01', { headers: { cookie } })).text()
    const laterRow = later.split('id="coverage-contact"')[1]!.split('<th scope="row">Beslutsfattare</th>')[1]!.split('</tr>')[0]!
    expect(laterRow).toContain('<td class="cell-gap">0 av 2 <span class="gap-mark">ingen nådd</span></td>')
  })
})
