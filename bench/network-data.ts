import type { Kysely } from 'kysely'
import type { Database } from '../src/db/schema.ts'
import { seededRandom } from '../src/network/measures.ts'

type Db = Kysely<Database>

async function insertChunks<T extends keyof Database & string>(db: Db, table: T, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto(table).values(rows.slice(i, i + 500) as never).execute()
  }
}

const KINDS = ['municipality', 'authority', 'county_board', 'region', 'ngo', 'research', 'business'] as const
const COUNTIES = ['Stockholms län', 'Skåne län', 'Västra Götalands län', 'Jönköpings län', 'Kalmar län', 'Kronobergs län', 'Norrbottens län', 'Dalarnas län']
const FIRST = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Sara', 'Per', 'Elin', 'Nils', 'Ida', 'Olof']
const LAST = ['Andersson', 'Berg', 'Carlsson', 'Dahl', 'Ek', 'Fors', 'Gran', 'Holm', 'Isaksson', 'Jansson', 'Lind', 'Nyberg']

/**
 * A network of `n` nodes, 30 % organisations and 70 % people, clustered by county so that it
 * has communities: most links stay within a county, some cross. Fictional names.
 */
export async function generateNetwork(db: Db, n: number): Promise<{ organisations: number; contacts: number }> {
  const rng = seededRandom(n)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!
  const orgCount = Math.round(n * 0.3)
  const contactCount = n - orgCount
  const orgs = Array.from({ length: orgCount }, (_, i) => ({ id: crypto.randomUUID(), county: COUNTIES[i % COUNTIES.length]! }))
  const byCounty = new Map<string, string[]>()
  for (const o of orgs) byCounty.set(o.county, [...(byCounty.get(o.county) ?? []), o.id])
  // Mostly an organisation of the same county, one link in five anywhere.
  const near = (county: string) => (rng() < 0.8 ? pick(byCounty.get(county)!) : pick(orgs).id)
  const countyOf = new Map(orgs.map((o) => [o.id, o.county]))

  await insertChunks(db, 'organisations', orgs.map((o, i) => {
    const name = `Organisation ${i + 1} i ${o.county}`
    return { id: o.id, name, sort_name: name.toLowerCase(), kind: KINDS[i % KINDS.length], county: o.county, parent_id: null }
  }))
  // Hierarchy: one organisation in six under another of its county.
  for (const o of orgs) {
    if (rng() < 1 / 6) {
      const parent = pick(byCounty.get(o.county)!)
      if (parent !== o.id) await db.updateTable('organisations').set({ parent_id: parent }).where('id', '=', o.id).execute()
    }
  }

  const contacts = Array.from({ length: contactCount }, () => ({ id: crypto.randomUUID(), home: pick(orgs).id }))
  await insertChunks(db, 'contacts', contacts.map((c, i) => {
    const first = pick(FIRST)
    const last = `${pick(LAST)}-${i + 1}`
    return { id: c.id, first_name: first, last_name: last, sort_name: `${last} ${first}`.toLowerCase(), categories: [pick(['official', 'practitioner', 'decision_maker'])] }
  }))
  const affiliations: Record<string, unknown>[] = []
  for (const c of contacts) {
    affiliations.push({ contact_id: c.id, organisation_id: c.home, is_primary: true, start_date: '2015-01-01' })
    if (rng() < 0.2) affiliations.push({ contact_id: c.id, organisation_id: near(countyOf.get(c.home)!), start_date: '2020-01-01', end_date: rng() < 0.3 ? '2023-12-31' : null })
  }
  await insertChunks(db, 'affiliations', affiliations)

  const relationships: Record<string, unknown>[] = []
  for (const o of orgs) {
    for (let k = 0; k < 1.5 + rng() - 0.5; k++) {
      const to = near(o.county)
      if (to !== o.id) {
        relationships.push({ from_organisation_id: o.id, to_organisation_id: to, type: pick(['funds', 'partner_of', 'member_of', 'advises', 'reports_to']), start_date: rng() < 0.5 ? '2018-01-01' : null })
      }
    }
  }
  await insertChunks(db, 'organisation_relationships', relationships)

  const alliances = Array.from({ length: Math.max(1, Math.round(n / 200)) }, (_, i) => ({ id: crypto.randomUUID(), name: `Allians ${i + 1}`, sort_name: `allians ${i + 1}`, status: 'active' as const }))
  await insertChunks(db, 'alliances', alliances)
  await insertChunks(db, 'alliance_members', alliances.flatMap((a) => {
    const county = pick(COUNTIES)
    return [...new Set(Array.from({ length: 5 }, () => near(county)))].map((organisation_id) => ({ alliance_id: a.id, organisation_id, role: 'partner' }))
  }))

  // Activities with four organisations each, two of them present through a person.
  const activities = Array.from({ length: Math.round(n * 0.11) }, (_, i) => ({ id: crypto.randomUUID(), title: `Aktivitet ${i + 1}`, sort_name: `aktivitet ${i + 1}`, type: 'seminar', status: 'done', start_date: `202${Math.floor(rng() * 5)}-0${1 + Math.floor(rng() * 9)}-15` }))
  await insertChunks(db, 'activities', activities)
  const people = new Map<string, string[]>()
  for (const c of contacts) people.set(c.home, [...(people.get(c.home) ?? []), c.id])
  const participants: Record<string, unknown>[] = []
  for (const a of activities) {
    const county = pick(COUNTIES)
    const chosen = [...new Set(Array.from({ length: 4 }, () => near(county)))]
    chosen.forEach((o, j) => {
      const person = people.get(o)?.[0]
      if (j % 2 === 1 && person) participants.push({ activity_id: a.id, contact_id: person, attendance: 'attended' })
      else participants.push({ activity_id: a.id, organisation_id: o, attendance: 'attended' })
    })
  }
  await insertChunks(db, 'activity_participants', participants)
  return { organisations: orgCount, contacts: contactCount }
}

