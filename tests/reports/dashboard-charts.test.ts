import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { formatDate } from '../../src/web/format.ts'
import { insertActivity } from '../plans/helpers.ts'

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('viewer')).cookie
})
afterAll(() => t.close())

const today = formatDate(new Date())
/** The figure with this id, up to its end. */
const figure = (html: string, id: string) => html.split(`<figure class="chart" id="${id}">`)[1]?.split('</figure>')[0] ?? ''

describe('the dashboard’s charts', () => {
  it('says so when there is nothing to chart yet', async () => {
    const html = await (await t.request('/', { headers: { cookie } })).text()
    expect(html).toContain('<h2 id="charts-h">Spridning och påverkan</h2>')
    expect(figure(html, 'chart-reach-category')).toContain('Ingen nådd de senaste tolv månaderna.')
    expect(figure(html, 'chart-plans')).toContain('Inga pågående spridningsplaner.')
  })

  it('draws activities per month by type, reach by category and county, plans and alliances, each with its numbers as a table', async () => {
    const org = await t.db.insertInto('organisations').values({ name: 'Region Kalmar län', sort_name: 'region kalmar lan', kind: 'region', county: 'Kalmar län' } as never).returning('id').executeTakeFirstOrThrow()
    const people = await t.db
      .insertInto('contacts')
      .values([
        { first_name: 'Ada', last_name: 'Praktikersson', sort_name: 'ada', categories: ['practitioner'], county: 'Skåne län' },
        { first_name: 'Bo', last_name: 'Beslutsson', sort_name: 'bo', categories: ['decision_maker', 'official'] },
        { first_name: 'Cilla', last_name: 'Inbjuden', sort_name: 'cilla', categories: ['practitioner'] },
      ] as never)
      .returning('id')
      .execute()
    await t.db.insertInto('affiliations').values({ contact_id: people[1]!.id, organisation_id: org.id } as never).execute()
    await insertActivity(t.db, { type: 'seminar', start_date: today, participants: [{ contact_id: people[0]!.id }, { contact_id: people[1]!.id, attendance: 'received' }, { contact_id: people[2]!.id, attendance: 'invited' }] })
    await insertActivity(t.db, { type: 'seminar', status: 'planned', start_date: today })
    await insertActivity(t.db, { type: 'report', start_date: today })
    await insertActivity(t.db, { type: 'report', status: 'cancelled', start_date: today })
    await t.db.insertInto('plans').values({ name: 'Kalmarplanen', sort_name: 'kalmarplanen', status: 'active', target: JSON.stringify({ contact_ids: [people[1]!.id, people[2]!.id] }) } as never).execute()
    await t.db.insertInto('alliances').values([
      { name: 'A1', sort_name: 'a1', status: 'active' }, { name: 'A2', sort_name: 'a2', status: 'active' }, { name: 'A3', sort_name: 'a3', status: 'dormant' },
    ] as never).execute()

    const html = await (await t.request('/', { headers: { cookie } })).text()
    const month = today.slice(0, 7)
    const activities = figure(html, 'chart-activities')
    expect(activities).toContain('<figcaption id="chart-activities-cap">Aktiviteter per månad och typ (ej inställda)</figcaption>')
    expect(activities).toContain('role="img" aria-labelledby="chart-activities-cap"')
    expect(activities).toMatch(/<rect class="chart-bar series-\d+"/)
    // This month's row of the table: seminars 2 (done and planned), reports 1 (the cancelled one left out), total 3.
    expect(activities).toContain('<th scope="col" class="num">Seminarium</th><th scope="col" class="num">Rapport</th>')
    expect(activities.replace(/\s+/g, ' ')).toContain(`<th scope="row">${month}</th> <td class="num">2</td><td class="num">1</td> <td class="num">3</td>`)

    const category = figure(html, 'chart-reach-category')
    expect(category).toContain('<tr><th scope="row">Praktiker</th><td class="num">1</td></tr>')
    expect(category).toContain('<tr><th scope="row">Beslutsfattare</th><td class="num">1</td></tr>')
    const county = figure(html, 'chart-reach-county')
    expect(county).toContain('<tr><th scope="row">Kalmar län</th><td class="num">1</td></tr>')
    expect(county).toContain('<tr><th scope="row">Skåne län</th><td class="num">1</td></tr>')
    expect(county).toContain('<tfoot><tr><th scope="row">Totalt</th><td class="num">2</td></tr></tfoot>')

    expect(figure(html, 'chart-plans')).toContain('<tr><th scope="row">Kalmarplanen</th><td class="num">1 av 2</td></tr>')
    const alliances = figure(html, 'chart-alliances')
    expect(alliances).toContain('<tr><th scope="row">Aktiv</th><td class="num">2</td></tr>')
    expect(alliances).toContain('<tr><th scope="row">Vilande</th><td class="num">1</td></tr>')
    expect(html).toContain('href="/reports/period"')
  })
})
