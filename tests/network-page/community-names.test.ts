import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, ORIGIN, testApp, type TestApp } from '../helpers/app.ts'
import { communityColours, KEEP_NAME_SHARE, withGivenNames, type GivenName } from '../../src/network-page/network-page.data.ts'
import type { ViewNode } from '../../src/network-page/network-source.ts'

// A community's given name is kept by who is in it, not by its most central member (issue 14).

const node = (id: string, community: number, betweenness: number, type = 'organisation'): ViewNode =>
  ({ id, label: id.toUpperCase(), type, community, betweenness, degree: 1 }) as unknown as ViewNode
const present = (nodes: ViewNode[]) => new Set(nodes.filter((n) => n.type !== 'cluster').map((n) => `${n.type}:${n.id}`))
const given = (id: string, anchor: string, name: string, members: string[] | null): GivenName => ({ id, anchor_id: anchor, name, version: 1, members })
const names = (nodes: ViewNode[], rows: GivenName[]) =>
  withGivenNames(communityColours(nodes).groups, rows, present(nodes)).map((g) => [g.anchor, g.custom?.name ?? null])

describe('the names given to communities', () => {
  const first = [node('a', 0, 9), node('b', 0, 1), node('c', 0, 1), node('d', 0, 1), node('x', 1, 5), node('y', 1, 1)]
  const named = given('n1', 'a', 'Östra gruppen', communityColours(first).groups[0]!.members)

  it('lists a group’s members with their type, collapsed groups left out', () => {
    const groups = communityColours([...first, { ...node('cl', 0, 0), type: 'cluster', size: 4 } as unknown as ViewNode]).groups
    expect(groups[0]!.members).toEqual(['organisation:a', 'organisation:b', 'organisation:c', 'organisation:d'])
    expect(groups[0]!.anchor).toBe('a')
  })

  it('keeps the name when another member becomes the most central, and a member or two come and go', () => {
    // "b" is now the most central; "a" has left for the other group and "e" has joined.
    const later = [node('a', 1, 1), node('b', 0, 9), node('c', 0, 1), node('d', 0, 1), node('e', 0, 1), node('x', 1, 5), node('y', 1, 1)]
    expect(names(later, [named])).toEqual([['b', 'Östra gruppen'], ['x', null]])
  })

  it('gives the name to no group when none is like enough, and to one group only when two are alike', () => {
    const split = [node('a', 0, 9), node('b', 0, 1), node('c', 1, 9), node('d', 1, 1), node('x', 2, 5), node('y', 2, 1)]
    // Two of four, with nothing else: exactly the share needed, for both halves; the first pair wins.
    expect(KEEP_NAME_SHARE).toBe(0.5)
    expect(names(split, [named]).filter(([, name]) => name)).toHaveLength(1)
    const scattered = [node('a', 0, 9), node('x', 0, 1), node('y', 0, 1), node('b', 1, 9), node('p', 1, 1), node('q', 1, 1), node('c', 2, 1), node('d', 3, 1)]
    expect(names(scattered, [named]).filter(([, name]) => name)).toEqual([])
  })

  it('compares only what both views can show: people folded, or filtered out', () => {
    const people = [node('p1', 0, 0, 'contact'), node('p2', 0, 0, 'contact'), node('p3', 0, 0, 'contact'), node('p4', 0, 0, 'contact'), node('p5', 0, 0, 'contact')]
    // Named with organisations only, seen with five people beside them: still the group.
    expect(names([...first, ...people], [named])[0]).toEqual(['a', 'Östra gruppen'])
    // Named with the people shown, seen with them folded away.
    const withPeople = given('n2', 'a', 'Med folk', communityColours([...first, ...people]).groups[0]!.members)
    expect(names(first, [withPeople])[0]).toEqual(['a', 'Med folk'])
  })

  it('pairs several names with the groups most like theirs, one each', () => {
    const other = given('n0', 'x', 'Västra gruppen', ['organisation:x', 'organisation:y'])
    expect(names(first, [named, other])).toEqual([['a', 'Östra gruppen'], ['x', 'Västra gruppen']])
  })

  it('gives a name from before members were kept to the group its anchor is in, central or not', () => {
    const later = [node('a', 0, 1), node('b', 0, 9), node('x', 1, 5)]
    expect(names(later, [given('old', 'a', 'Gammalt namn', null)])).toEqual([['b', 'Gammalt namn'], ['x', null]])
  })
})

describe('a renamed community on the network page', () => {
  let t: TestApp
  let editor: string
  let token: Awaited<ReturnType<TestApp['apiToken']>>
  beforeAll(async () => {
    t = await testApp()
    editor = (await t.browser('editor')).cookie
    token = await t.apiToken('editor')
  })
  afterAll(() => t.close())

  const create = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await t.request(path, jsonRequest('POST', body, token.headers))
    expect(res.status, await res.clone().text()).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
  const PAGE = '/network?colour=community&people=show'
  const page = async () => (await t.request(PAGE, { headers: { cookie: editor } })).text()
  /** Each rename form: the group's anchor, and the name row it has (if any). */
  const forms = (html: string) => [...html.matchAll(/<form method="post" action="\/network\/communities">([\s\S]*?)<\/form>/g)].map((m) => ({
    anchor: /name="anchor" value="([^"]+)"/.exec(m[1]!)![1]!,
    id: /name="id" value="([^"]+)"/.exec(m[1]!)?.[1],
    version: /name="version" value="([^"]+)"/.exec(m[1]!)?.[1],
  }))
  const post = (fields: Record<string, string>) => t.request('/network/communities', {
    method: 'POST',
    headers: { cookie: editor, 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams(fields).toString(),
  })

  it('keeps its name when its most central member changes as the network grows, and renames the same row again', async () => {
    // A municipality and its three people: the municipality is the most central of its group.
    const k = await create('/api/v1/organisations', { name: 'Kommunen K', kind: 'municipality' })
    const people: string[] = []
    for (const first of ['Karin', 'Kalle', 'Kerstin']) people.push(await create('/api/v1/contacts', { first_name: first, last_name: 'Kommunsson', affiliations: [{ organisation_id: k }] }))
    expect(forms(await page()).map((f) => f.anchor)).toContain(k)
    expect((await post({ anchor: k, name: 'Kommungruppen', back: PAGE })).status).toBe(303)
    expect(await page()).toContain('Kommungruppen – kring Kommunen K')

    // Karin starts at a region with people of its own too: she now lies on more shortest paths than the municipality.
    const region = await create('/api/v1/organisations', { name: 'Regionen R', kind: 'region' })
    for (const first of ['Rut', 'Rolf', 'Rakel']) await create('/api/v1/contacts', { first_name: first, last_name: 'Regionsson', affiliations: [{ organisation_id: region }] })
    const [karin] = people
    const patched = await t.request(`/api/v1/contacts/${karin}`, jsonRequest('PATCH', { version: 1, affiliations: [{ organisation_id: k }, { organisation_id: region }] }, token.headers))
    expect(patched.status, await patched.clone().text()).toBe(200)

    const html = await page()
    // The group is the same people, around someone else now: the name stays with it.
    expect(html).not.toContain('Gruppen kring Kommunen K')
    expect(html).toMatch(/Kommungruppen – kring (?!Kommunen K)/)
    const named = forms(html).find((f) => f.id)
    expect(named, 'a group with the given name').toBeDefined()
    expect(named!.anchor).not.toBe(k)
    // Renaming it again changes that name (the same row), not a second one.
    expect((await post({ id: named!.id!, anchor: named!.anchor, name: 'Kommun och region', version: named!.version!, back: PAGE })).status).toBe(303)
    expect(await page()).toContain('Kommun och region – kring ')
    const rows = await t.db.selectFrom('community_names').select(['id', 'name']).where('deleted_at', 'is', null).execute()
    expect(rows).toEqual([{ id: named!.id, name: 'Kommun och region' }])
  })
})
