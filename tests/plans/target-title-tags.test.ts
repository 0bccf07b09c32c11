import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

// Issue 14: "the integration officers of all county boards" — by title or role text, and by tags,
// with the size shown while the target group is edited.
let t: TestApp
let h: ReturnType<typeof apiOf>
let editor: Awaited<ReturnType<TestApp['browser']>>
const officers: string[] = []
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  editor = await t.browser('editor')
  const boards = [
    await h.organisation('Länsstyrelsen i Jönköpings län', 'county_board', { county: 'Jönköpings län' }),
    await h.organisation('Länsstyrelsen i Kalmar län', 'county_board', { county: 'Kalmar län' }),
    await h.organisation('Länsstyrelsen i Gotlands län', 'county_board', { county: 'Gotlands län' }),
  ]
  const kommun = await h.organisation('Jönköpings kommun', 'municipality', { tags: ['etablering'] })
  // By title, by current role (any case), and one whose role as officer has ended.
  officers.push((await h.contact('Amira', 'Haddad', { title: 'Integrationshandläggare', affiliations: [{ organisation_id: boards[0]!.id }] })).id)
  officers.push((await h.contact('Bo', 'Lundgren', { affiliations: [{ organisation_id: boards[1]!.id, role: 'Handläggare, INTEGRATIONSHANDLÄGGARE' }] })).id)
  await h.contact('Cecilia', 'Ek', { affiliations: [{ organisation_id: boards[2]!.id, role: 'Integrationshandläggare', start_date: '2010-01-01', end_date: '2012-12-31' }] })
  await h.contact('Dan', 'Nord', { title: 'Landshövding', tags: ['etablering'], affiliations: [{ organisation_id: boards[2]!.id }] })
  await h.contact('Eva', 'Öst', { title: 'Integrationshandläggare', tags: ['etablering'], affiliations: [{ organisation_id: kommun.id }] })
})
afterAll(() => t.close())

const page = async (path: string) => {
  const res = await t.request(path, { headers: { cookie: editor.cookie } })
  expect(res.status, path).toBe(200)
  return res.text()
}

describe('a target group by title and tags', () => {
  it("filter.title finds a person's title or current role; with affiliated_kinds only the county boards'", async () => {
    const plan = await h.plan({ name: 'Integrationshandläggarna', target: { filter: { title: 'integrationshandläggare', affiliated_kinds: ['county_board'] } } })
    const progress = await h.progress(plan.id)
    expect(progress.not_reached.map((r) => r.id).sort()).toEqual([...officers].sort())
    expect((await h.progress((await h.plan({ name: 'Alla', target: { filter: { title: ['integrationshandläggare'] } } })).id)).target_count).toBe(3)
  })

  it('filter.tags narrows people and organisations alike', async () => {
    const people = await h.plan({ name: 'Etablering', target: { filter: { tags: ['etablering'], categories: [] } } })
    const progress = await h.progress(people.id)
    // Tags alone target both sides: the tagged municipality and the two tagged people.
    expect(progress.not_reached.map((r) => r.label).sort()).toEqual(['Dan Nord', 'Eva Öst', 'Jönköpings kommun'])
    const both = await h.progress((await h.plan({ name: 'Båda', target: { filter: { tags: ['etablering'], title: 'integrations' } } })).id)
    expect(both.not_reached.map((r) => r.label)).toEqual(['Eva Öst'])
  })

  it('the plan page says the filter in words and the form keeps it', async () => {
    const plan = await h.plan({ name: 'I ord', target: { filter: { title: ['integrationshandläggare'], tags: ['etablering'] } } })
    expect(await page(`/plans/${plan.id}`)).toContain('personer med titeln ”integrationshandläggare”, med taggen etablering')
    const form = await page(`/plans/${plan.id}/edit`)
    expect(form).toContain('name="filter_title" type="text" value="integrationshandläggare"')
    expect(form).toContain('name="filter_tags" type="text" value="etablering"')
  })

  it('the form shows the size of the target group, and /plans/target-count counts it as it is edited', async () => {
    const form = await page('/plans/new')
    expect(form).toContain('hx-get="/plans/target-count"')
    expect(form).toContain('Målgruppen i dag: 0 personer och 0 organisationer.')
    const q = new URLSearchParams({ filter_title: 'integrationshandläggare' })
    q.append('filter_affiliated_kinds', 'county_board')
    expect(await page(`/plans/target-count?${q}`)).toContain('Målgruppen i dag: 2 personer och 0 organisationer.')
    expect(await page('/plans/target-count?filter_tags=etablering')).toContain('Målgruppen i dag: 2 personer och 1 organisation.')
    expect(await page('/plans/target-count?filter_kinds=nonsense')).toContain('Målgruppens storlek visas när valen är giltiga.')
  })
})

describe('the plan page and form', () => {
  it('says when the target group changed size in the register since it was last computed, and not for an edit of the target', async () => {
    const plan = await h.plan({ name: 'Växande grupp', target: { filter: { title: 'samordnare' } } })
    await h.contact('Fia', 'Först', { title: 'Samordnare' })
    expect(await page(`/plans/${plan.id}`)).not.toContain('id="target-size-change"')
    // An import (or anyone) adds two more people who fit.
    await h.contact('Gun', 'Andra', { title: 'Regional samordnare' })
    await h.contact('Hans', 'Tredje', { title: 'Samordnare för etablering' })
    const html = await page(`/plans/${plan.id}`)
    expect(html).toMatch(/id="target-size-change"><strong>Målgruppen ändrades \d{4}-\d{2}-\d{2}<\/strong> \(registret ändrades, till exempel genom en import\): från 1 person och 0 organisationer till 3 personer och 0 organisationer\./)
    // Still said to the next reader.
    expect(await page(`/plans/${plan.id}`)).toContain('från 1 person och 0 organisationer till 3 personer')
    // Editing the target itself starts afresh.
    const res = await h.api('PATCH', `/api/v1/plans/${plan.id}`, { version: plan.version, target: { filter: { title: 'samordnare för' } } })
    expect(res.status).toBe(200)
    expect(await page(`/plans/${plan.id}`)).not.toContain('id="target-size-change"')
  })

  it('keeps "who is in the target group" and "what counts as reaching it" apart, each explained', async () => {
    const form = await page('/plans/new')
    const target = form.split('<h2 id="target-h">')[1]!.split('</section>')[0]!
    expect(target).toContain('Personer och organisationer med temat')
    expect(target).not.toContain('name="theme_ids"')
    const counts = form.split('<h2 id="counts-h">')[1]!.split('</section>')[0]!
    expect(counts).toContain('Vad räknas som att nå målgruppen')
    expect(counts).toContain('inte vilka som ingår i målgruppen')
    expect(counts).toContain('Aktiviteter med temat')
    expect(counts).toContain('name="qualifying_attendance"')
  })
})
