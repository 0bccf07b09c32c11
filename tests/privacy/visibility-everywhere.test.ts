import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../src/db/schema.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiAs, type Who } from './helpers.ts'
import { pageWithSections } from '../helpers/sections.ts'

// Issue 11, one table: a person with protected identity and a restricted person, linked to
// everything that names people (a body seat, an alliance's contact person, an interaction with a
// follow-up, an activity, an affiliation and so the network's edges, a plan's target group, a
// newsletter subscription), and every page, endpoint and export that lists people, read as a
// viewer, an editor and an admin. The rule (src/privacy/visibility.ts):
//   reader — shown as the reader may see: a viewer neither, an editor the protected person, an
//            admin both (pages and API answers for signed-in users);
//   never  — a file, a mailing or an invitation list: neither, whoever asks.

type Rule = 'reader' | 'never'
type Person = 'protected' | 'restricted' | 'open'
const SURNAME: Record<Person, string> = { protected: 'Skyddsson', restricted: 'Begränsadsson', open: 'Synligsson' }
const ROLES: Role[] = ['viewer', 'editor', 'admin']

function mayName(rule: Rule, role: Role, person: Person): boolean {
  if (person === 'open') return true
  if (rule === 'never') return false
  return role === 'admin' || (role === 'editor' && person === 'protected')
}

let t: TestApp
let api: ReturnType<typeof apiAs>
const as = {} as Record<Role, { api: Who; cookie: string; userId: string }>
const ids = {} as Record<Person, string> & Record<string, string>

beforeAll(async () => {
  t = await testApp()
  api = apiAs(t)
  for (const role of ROLES) {
    const b = await t.browser(role)
    as[role] = { api: await t.apiToken(role), cookie: b.cookie, userId: b.user.id }
  }
  const editor = as.editor.api
  const admin = as.admin.api
  const org = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Region Kalmar län', kind: 'region', county: 'Kalmar län' })
  const other = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board', county: 'Kalmar län' })
  ids.org = org.id
  ids.other = other.id
  for (const [p, first] of [['protected', 'Pia'], ['restricted', 'Rolf'], ['open', 'Vera']] as const) {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', {
      first_name: first, last_name: SURNAME[p], categories: ['official'], protected_identity: p === 'protected',
      affiliations: [{ organisation_id: org.id, role: 'Handläggare' }],
    })
    ids[p] = c.id
    ids[`aff-${p}`] = c.affiliations[0].id
  }
  const people: Person[] = ['protected', 'restricted', 'open']
  const body = await api.ok(editor, 'POST', '/api/v1/bodies', {
    name: 'Regionala samverkansrådet', kind: 'reference_group',
    seats: people.map((p) => ({ contact_id: ids[p], organisation_id: org.id, role: 'member' })),
  })
  ids.body = body.id
  for (const s of body.seats) ids[`seat-${people.find((p) => ids[p] === s.contact_id)}`] = s.id
  const alliance = await api.ok(editor, 'POST', '/api/v1/alliances', {
    name: 'Kalmarallians för samverkan', status: 'active',
    members: [{ organisation_id: org.id, role: 'lead', contact_id: ids.protected }, { organisation_id: other.id, role: 'partner', contact_id: ids.restricted }],
  })
  ids.alliance = alliance.id
  const today = new Date().toISOString().slice(0, 10)
  for (const role of ['editor', 'admin'] as const) {
    const i = await api.ok(editor, 'POST', '/api/v1/interactions', {
      kind: 'meeting', occurred_on: today, summary: 'Samråd om kollektivtrafiken', contact_ids: people.map((p) => ids[p]),
      organisation_ids: [org.id], follow_up_on: today, follow_up_assignee_id: as[role].userId,
    })
    ids.interaction = i.id
  }
  const activity = await api.ok(editor, 'POST', '/api/v1/activities', {
    title: 'Dialogmöte om regional utveckling', type: 'meeting', status: 'done', start_date: today,
    participants: [
      ...people.map((p) => ({ contact_id: ids[p], role: 'participant', attendance: 'attended' })),
      { organisation_id: other.id, role: 'participant', attendance: 'attended' },
    ],
  })
  ids.activity = activity.id
  const plan = await api.ok(editor, 'POST', '/api/v1/plans', { name: 'Nå rådet', status: 'active', target: { contact_ids: people.map((p) => ids[p]) } })
  ids.plan = plan.id
  const list = await api.ok(editor, 'POST', '/api/v1/newsletter/lists', { name: 'Regionalt nyhetsbrev' })
  ids.list = list.id
  for (const p of people) {
    await t.db.insertInto('newsletter_subscriptions').values({ list_id: list.id, contact_id: ids[p], status: 'subscribed' }).execute()
  }
  // E-mail addresses after the links: a subscriber list names people by address.
  for (const p of people) {
    const c = await api.ok(admin, 'GET', `/api/v1/contacts/${ids[p]}`)
    await api.ok(admin, 'PATCH', `/api/v1/contacts/${ids[p]}`, { version: c.version, email: `${SURNAME[p].toLowerCase().replace('ä', 'a')}@example.se` })
  }
  await api.ok(admin, 'POST', `/api/v1/contacts/${ids.restricted}/erase`, { confirm: `Rolf ${SURNAME.restricted}`, mode: 'restrict' }, 200)
}, 60_000)
afterAll(() => t.close())

interface Surface {
  name: string
  rule: Rule
  /** Path for a role, or null where that role may not use it at all. */
  path: (role: Role) => string | null
  /** Through the API (bearer token) rather than as a browser page. */
  api?: boolean
  /** The open person is named here (else only absence is checked: a short list, a summary). */
  namesOpen?: boolean
  /** Markers other than the surname (an e-mail address). */
  marker?: (p: Person) => string
}

const editorUp = (path: () => string) => (role: Role) => (role === 'viewer' ? null : path())
const everyone = (path: string) => () => path
const email = (p: Person) => `${SURNAME[p].toLowerCase().replace('ä', 'a')}@example.se`

const SURFACES: Surface[] = [
  { name: 'body page (seats)', rule: 'reader', path: () => `/bodies/${ids.body}`, namesOpen: true },
  { name: 'body API', rule: 'reader', path: () => `/api/v1/bodies/${ids.body}`, api: true },
  { name: 'body list CSV (members)', rule: 'never', path: everyone('/api/v1/bodies?format=csv'), api: true, namesOpen: true },
  { name: 'alliance page (contact persons)', rule: 'reader', path: () => `/alliances/${ids.alliance}` },
  { name: 'alliance list CSV', rule: 'never', path: everyone('/api/v1/alliances?format=csv'), api: true },
  { name: 'organisation page (people, seats, alliances)', rule: 'reader', path: () => `/organisations/${ids.org}`, namesOpen: true },
  { name: 'other organisation page (alliance contact)', rule: 'reader', path: () => `/organisations/${ids.other}` },
  { name: 'interaction page (contacts)', rule: 'reader', path: () => `/interactions/${ids.interaction}`, namesOpen: true },
  { name: 'interaction list', rule: 'reader', path: () => '/interactions', namesOpen: true },
  { name: 'interaction API', rule: 'reader', path: () => `/api/v1/interactions/${ids.interaction}`, api: true },
  { name: 'dashboard (follow-ups, recent changes)', rule: 'reader', path: () => '/' },
  { name: 'activity page (participants)', rule: 'never', path: () => `/activities/${ids.activity}`, namesOpen: true },
  { name: 'activity participants page', rule: 'never', path: () => `/activities/${ids.activity}/participants`, namesOpen: true },
  { name: 'activity API', rule: 'never', path: () => `/api/v1/activities/${ids.activity}`, api: true },
  { name: 'activity list CSV', rule: 'never', path: everyone('/api/v1/activities?format=csv'), api: true },
  // The plan's definition names whom it chose, as the reader may see them; its progress (who is
  // reached, who is still to be invited) is an invitation list.
  { name: 'plan page (definition)', rule: 'reader', path: () => `/plans/${ids.plan}`, namesOpen: true },
  { name: 'plan progress API', rule: 'never', path: () => `/api/v1/plans/${ids.plan}/progress`, api: true, namesOpen: true },
  { name: 'network JSON', rule: 'reader', path: () => '/api/v1/network?types=organisation,contact,body&cluster=none', api: true, namesOpen: true },
  { name: 'network GraphML', rule: 'never', path: everyone('/api/v1/network?types=organisation,contact,body&format=graphml'), api: true, namesOpen: true },
  { name: 'network GEXF', rule: 'never', path: everyone('/api/v1/network?types=organisation,contact,body&format=gexf'), api: true, namesOpen: true },
  { name: 'edge explanation: seat held for an organisation', rule: 'reader', path: () => `/api/v1/network/edges/rep:${ids['seat-protected']}`, api: true },
  { name: 'edge explanation: co-participation', rule: 'reader', path: () => `/api/v1/network/edges/co:${[ids.org, ids.other].sort().join(':')}`, api: true, namesOpen: true },
  { name: 'search page', rule: 'reader', path: () => '/search?q=sson', namesOpen: true, marker: (p) => `/contacts/${ids[p]}` },
  { name: 'search API', rule: 'reader', path: () => '/api/v1/search?q=sson', api: true, namesOpen: true },
  { name: 'contact list', rule: 'reader', path: () => '/contacts', namesOpen: true },
  { name: 'contact list CSV', rule: 'never', path: everyone('/api/v1/contacts?format=csv'), api: true, namesOpen: true },
  { name: 'contact picker', rule: 'reader', path: editorUp(() => '/contacts/options?q=sson'), namesOpen: true },
  { name: 'stakeholder map', rule: 'reader', path: () => '/stakeholder-map' },
  { name: 'subscriber list', rule: 'never', path: editorUp(() => `/api/v1/newsletter/lists/${ids.list}/subscribers`), api: true, namesOpen: true, marker: email },
]

describe('protected identity and restricted people on every surface that names people', () => {
  for (const role of ROLES) {
    it(`as ${role}`, async () => {
      const wrong: string[] = []
      for (const s of SURFACES) {
        const path = s.path(role)
        if (!path) continue
        const res = s.api
          ? await t.request(path, { headers: as[role].api.headers })
          : await pageWithSections(t.request, path, { headers: { cookie: as[role].cookie } })
        if (res.status !== 200) {
          wrong.push(`${s.name}: ${res.status}`)
          continue
        }
        const text = await res.text()
        for (const p of ['protected', 'restricted', 'open'] as const) {
          const marker = s.marker?.(p) ?? SURNAME[p]
          const named = text.includes(marker)
          if (named && !mayName(s.rule, role, p)) wrong.push(`${s.name} names the ${p} person`)
          if (!named && p === 'open' && s.namesOpen) wrong.push(`${s.name} does not name the open person (the check would prove nothing)`)
        }
      }
      expect(wrong).toEqual([])
    }, 60_000)
  }

  it('an edge through a person the reader may not see is no edge for them (404), for others it is explained', async () => {
    const status = async (role: Role, edge: string) => (await t.request(`/api/v1/network/edges/${edge}`, { headers: as[role].api.headers })).status
    for (const role of ROLES) {
      for (const p of ['protected', 'restricted', 'open'] as const) {
        for (const edge of [`aff:${ids[`aff-${p}`]}`, `seat:${ids[`seat-${p}`]}`]) {
          expect(await status(role, edge), `${role} ${p} ${edge}`).toBe(mayName('reader', role, p) ? 200 : 404)
        }
      }
    }
  })

  it('a list filtered by a person finds nothing for a reader who may not see them (the filter would tell where they sit)', async () => {
    const found = async (role: Role, path: string) => (await api.ok(as[role].api, 'GET', path)).data.length > 0
    for (const role of ROLES) {
      for (const p of ['protected', 'restricted', 'open'] as const) {
        const expected = mayName('reader', role, p)
        for (const list of ['bodies', 'activities', 'interactions']) {
          expect(await found(role, `/api/v1/${list}?contact_id=${ids[p]}`), `${role} ${list} ${p}`).toBe(expected)
        }
      }
    }
  })

  it('a hidden person keeps their place: the body still has three seats for a viewer, one shown as a hidden person', async () => {
    const html = await (await t.request(`/bodies/${ids.body}`, { headers: { cookie: as.viewer.cookie } })).text()
    expect(html.match(/\(dold person\)/g)).toHaveLength(2)
    expect(html).not.toContain(`/contacts/${ids.protected}`)
    const body = await api.ok(as.viewer.api, 'GET', `/api/v1/bodies/${ids.body}`)
    expect(body.seats).toHaveLength(3)
  })
})
