import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

let t: TestApp
let h: ReturnType<typeof apiOf>
// A small register: two county boards, a municipality and an NGO, and people around them.
type Key = 'health' | 'jonkoping' | 'kalmar' | 'vaxjo' | 'redcross' | 'officerJ' | 'leftK' | 'officialV' | 'practitionerJ' | 'volunteer'
const r = {} as Record<Key, { id: string }>
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  r.health = await h.theme('Hälsa')
  r.jonkoping = await h.organisation('Länsstyrelsen i Jönköpings län', 'county_board', { county: 'Jönköpings län', theme_ids: [r.health.id] })
  r.kalmar = await h.organisation('Länsstyrelsen i Kalmar län', 'county_board', { county: 'Kalmar län' })
  r.vaxjo = await h.organisation('Växjö kommun', 'municipality', { county: 'Kronobergs län' })
  r.redcross = await h.organisation('Röda Korset Jönköping', 'ngo', { county: 'Jönköpings län' })
  // An integration officer at the Jönköping board now; one at Kalmar who left; a Växjö official.
  r.officerJ = await h.contact('Ingrid', 'Integrationsson', { categories: ['official'], affiliations: [{ organisation_id: r.jonkoping.id, start_date: '2020-01-01' }] })
  r.leftK = await h.contact('Lämnat', 'Kalmarsson', { categories: ['official'], affiliations: [{ organisation_id: r.kalmar.id, start_date: '2019-01-01', end_date: '2021-12-31' }] })
  r.officialV = await h.contact('Vera', 'Kommunsson', { categories: ['official'], affiliations: [{ organisation_id: r.vaxjo.id }] })
  r.practitionerJ = await h.contact('Per', 'Praktikersson', { categories: ['practitioner'], county: 'Jönköpings län', theme_ids: [r.health.id] })
  r.volunteer = await h.contact('Frida', 'Frivilligsson', { categories: ['practitioner'], affiliations: [{ organisation_id: r.redcross.id }] })
})
afterAll(() => t.close())

/** The target of a plan with `target`, as "type:name" sorted. */
async function resolve(target: Record<string, unknown>): Promise<string[]> {
  const plan = await h.plan({ name: 'Målgruppstest', target })
  const p = await h.progress(plan.id)
  return p.not_reached.map((x) => `${x.type}:${x.label}`).sort()
}

describe('resolving a plan’s target group', () => {
  it('takes organisations by kind', async () => {
    expect(await resolve({ filter: { kinds: ['county_board'] } })).toEqual([
      'organisation:Länsstyrelsen i Jönköpings län', 'organisation:Länsstyrelsen i Kalmar län',
    ])
  })

  it('takes people by category', async () => {
    expect(await resolve({ filter: { categories: ['official'] } })).toEqual([
      'contact:Ingrid Integrationsson', 'contact:Lämnat Kalmarsson', 'contact:Vera Kommunsson',
    ])
  })

  it('takes the officials of the county boards: category official, working at a county board today', async () => {
    expect(await resolve({ filter: { categories: ['official'], affiliated_kinds: ['county_board'] } })).toEqual(['contact:Ingrid Integrationsson'])
  })

  it('targets both sides when a filter names an organisation kind and a person category', async () => {
    expect(await resolve({ filter: { kinds: ['municipality'], categories: ['practitioner'] } })).toEqual([
      'contact:Frida Frivilligsson', 'contact:Per Praktikersson', 'organisation:Växjö kommun',
    ])
  })

  it('narrows both sides by county, a person’s county being their own or their organisation’s', async () => {
    expect(await resolve({ filter: { counties: ['Jönköpings län'] } })).toEqual([
      'contact:Frida Frivilligsson', 'contact:Ingrid Integrationsson', 'contact:Per Praktikersson',
      'organisation:Länsstyrelsen i Jönköpings län', 'organisation:Röda Korset Jönköping',
    ])
    expect(await resolve({ filter: { kinds: ['county_board'], counties: ['Kalmar län', 'Kronobergs län'] } })).toEqual([
      'organisation:Länsstyrelsen i Kalmar län',
    ])
  })

  it('narrows by theme', async () => {
    expect(await resolve({ filter: { theme_ids: [r.health.id] } })).toEqual(['contact:Per Praktikersson', 'organisation:Länsstyrelsen i Jönköpings län'])
    expect(await resolve({ filter: { categories: ['practitioner'], theme_ids: [r.health.id] } })).toEqual(['contact:Per Praktikersson'])
  })

  it('adds the explicitly chosen records to the filter’s, each once', async () => {
    expect(await resolve({ organisation_ids: [r.vaxjo.id, r.kalmar.id], contact_ids: [r.volunteer.id], filter: { kinds: ['county_board'] } })).toEqual([
      'contact:Frida Frivilligsson', 'organisation:Länsstyrelsen i Jönköpings län', 'organisation:Länsstyrelsen i Kalmar län', 'organisation:Växjö kommun',
    ])
  })

  it('targets no one with an empty target or an empty filter', async () => {
    expect(await resolve({})).toEqual([])
    expect(await resolve({ filter: {} })).toEqual([])
  })

  it('follows a person merged into another to the one that remains', async () => {
    const dup = await h.contact('Ingrid', 'Integrationsson')
    const plan = await h.plan({ name: 'Sammanslagen', target: { contact_ids: [dup.id] } })
    const res = await h.api('POST', `/api/v1/contacts/${r.officerJ.id}/merge`, { other_id: dup.id, version: 1, other_version: 1 })
    expect(res.status).toBe(200)
    const p = await h.progress(plan.id)
    expect(p.not_reached.map((x) => x.id)).toEqual([r.officerJ.id])
  })

  it('refuses a target naming records that do not exist, and unknown filter fields', async () => {
    const res = await h.api('POST', '/api/v1/plans', { name: 'Fel', target: { contact_ids: ['00000000-0000-4000-8000-000000000000'] } })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toHaveProperty(['target.contact_ids'])
    const unknown = await h.api('POST', '/api/v1/plans', { name: 'Fel', target: { filter: { colours: ['blue'] } } })
    expect(unknown.status).toBe(400)
    const badCounty = await h.api('POST', '/api/v1/plans', { name: 'Fel', target: { filter: { counties: ['Atlantis län'] } } })
    expect(badCounty.status).toBe(400)
  })

  it('stores the target compactly with county names normalised', async () => {
    const plan = await h.plan({ name: 'Normaliserat', target: { contact_ids: [], filter: { counties: ['jönköping'], kinds: [] } } })
    expect(plan.target).toEqual({ filter: { counties: ['Jönköpings län'] } })
  })
})
