import type { OrganisationKind } from '../db/schema.ts'
import {
  CONTACT_TAGS, DEMO_ORGANISATIONS, DEMO_TAG, DEMO_THEMES, FIRST_NAMES, OTHER_FIRST_NAMES, OTHER_SURNAMES, OUTCOMES, REAL_NAMES,
  SURNAMES, TITLES, TOPICS, type DemoOrganisation,
} from './demo-data.ts'
import { addDays, dayBetween, seededRandom, type Random } from './demo-random.ts'

/**
 * The whole demo network as plain data, computed from the lists and a fixed seed: the same on
 * every run, so that seeding twice finds every record by its natural key (organisation name,
 * contact e-mail, theme path, interaction day + summary) and creates nothing new.
 */

/** "Today" in the demo: interactions happen before it, open follow-ups fall around it. */
export const BASE_DATE = '2026-11-16'
export const CONTACT_COUNT = 1000
const SEED = 2002_12_01

export interface PlanTheme {
  path: string
  parentPath: string | null
  name: string
  description: string
}

export interface PlanOrganisation {
  name: string
  kind: OrganisationKind
  short_name: string | null
  county: string | null
  country: string
  org_number: string | null
  website: string | null
  parentName: string | null
  themePaths: string[]
  tags: string[]
  notes: string | null
  influence: number | null
  interest: number | null
}

export interface PlanAffiliation {
  organisationName: string
  role: string
  start_date: string
  end_date: string | null
  primary: boolean
}

export interface PlanContact {
  first_name: string
  last_name: string
  email: string
  phone: string | null
  title: string
  categories: string[]
  influence: number | null
  interest: number | null
  county: string | null
  language: string
  tags: string[]
  themePaths: string[]
  affiliations: PlanAffiliation[]
}

export interface PlanInteraction {
  kind: 'meeting' | 'call' | 'email' | 'note'
  occurred_on: string
  summary: string
  /** A follow-up for the person running the seed (the admin), open. */
  follow_up_on: string | null
  contactEmails: string[]
  organisationNames: string[]
}

export interface DemoPlan {
  themes: PlanTheme[]
  organisations: PlanOrganisation[]
  contacts: PlanContact[]
  interactions: PlanInteraction[]
}

const SCORE_RANGES: Record<OrganisationKind, [[number, number], [number, number]]> = {
  ministry: [[4, 5], [2, 4]],
  authority: [[3, 5], [2, 5]],
  county_board: [[3, 4], [3, 5]],
  municipality: [[2, 4], [2, 5]],
  region: [[2, 4], [2, 4]],
  ngo: [[2, 3], [3, 5]],
  research: [[2, 3], [3, 5]],
  media: [[3, 4], [1, 3]],
  international: [[3, 5], [2, 4]],
  partnership: [[1, 3], [4, 5]],
  business: [[2, 4], [1, 3]],
  other: [[2, 4], [2, 4]],
}

function planThemes(): PlanTheme[] {
  return DEMO_THEMES.flatMap((th) => [
    { path: th.name, parentPath: null, name: th.name, description: th.description },
    ...(th.children ?? []).map((ch) => ({ path: `${th.name}/${ch.name}`, parentPath: th.name, name: ch.name, description: ch.description })),
  ])
}

function planOrganisations(rnd: Random): PlanOrganisation[] {
  return DEMO_ORGANISATIONS.map((o) => {
    const [inf, int] = SCORE_RANGES[o.kind]
    // One in seven organisations has not been assessed yet: the map lists them as missing.
    const assessed = rnd.chance(6 / 7)
    const influence = o.influence !== undefined ? o.influence : assessed ? rnd.int(...inf) : null
    const interest = o.interest !== undefined ? o.interest : assessed ? rnd.int(...int) : null
    return {
      name: o.name,
      kind: o.kind,
      short_name: o.short_name ?? null,
      county: o.county ?? null,
      country: o.country ?? 'SE',
      org_number: o.org_number ?? null,
      website: o.website ?? null,
      parentName: o.parent ?? null,
      themePaths: o.themes ?? [],
      tags: [DEMO_TAG, ...(o.tags ?? []), ...(o.closed ? ['upphörd'] : [])],
      notes: o.notes ?? null,
      influence,
      interest,
    }
  })
}

/** Not localeCompare: its order depends on the machine's locale, and the plan must not. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Exactly `total` seats shared out by weight (largest remainder), so every run gets the same. */
function seats(orgs: readonly DemoOrganisation[], total: number): Map<string, number> {
  const weighted = orgs.filter((o) => (o.weight ?? 2) > 0 && !o.closed)
  const sum = weighted.reduce((s, o) => s + (o.weight ?? 2), 0)
  const exact = weighted.map((o) => ({ name: o.name, q: ((o.weight ?? 2) / sum) * total }))
  const out = new Map(exact.map((e) => [e.name, Math.floor(e.q)]))
  let left = total - [...out.values()].reduce((s, n) => s + n, 0)
  for (const e of [...exact].sort((a, b) => (b.q % 1) - (a.q % 1) || byCodePoint(a.name, b.name))) {
    if (left-- <= 0) break
    out.set(e.name, out.get(e.name)! + 1)
  }
  return out
}

/** ASCII for an e-mail address: "Åsa Hadžić" → "asa", "hadzic". */
function mailPart(name: string): string {
  return name
    .toLowerCase()
    .replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ß/g, 'ss').replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
}

function categoriesFor(kind: OrganisationKind, senior: boolean, rnd: Random): string[] {
  const base: Record<OrganisationKind, string[]> = {
    ministry: ['official'],
    authority: ['official', 'practitioner'],
    county_board: ['official', 'practitioner'],
    municipality: rnd.chance(0.3) ? ['practitioner', 'recipient'] : ['practitioner'],
    region: ['practitioner'],
    ngo: ['practitioner', 'stakeholder'],
    research: ['researcher'],
    media: ['media'],
    international: ['official', 'stakeholder'],
    partnership: ['practitioner', 'recipient'],
    business: ['stakeholder'],
    other: ['stakeholder'],
  }
  const list = [...base[kind]]
  if (senior && kind !== 'media' && kind !== 'research') list.push('decision_maker')
  return list
}

const clamp = (n: number) => Math.min(5, Math.max(1, n))

interface NewPerson {
  first: string
  last: string
  email: string
}

function personFactory(rnd: Random) {
  const names = new Set<string>()
  const emails = new Set<string>()
  return (international: boolean): NewPerson => {
    for (;;) {
      const style = rnd.next()
      const first = style < 0.82 ? rnd.pick(FIRST_NAMES) : rnd.pick(OTHER_FIRST_NAMES)
      const last = style < 0.76 || (style >= 0.82 && style < 0.86) ? rnd.pick(SURNAMES) : rnd.pick(OTHER_SURNAMES)
      const full = `${first} ${last}`
      if (names.has(full) || REAL_NAMES.has(full)) continue
      names.add(full)
      const local = `${mailPart(first)}.${mailPart(last)}`
      const domain = international ? 'example.org' : 'example.se'
      let email = `${local}@${domain}`
      for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`
      emails.add(email)
      return { first, last, email }
    }
  }
}

function planContacts(rnd: Random, orgs: readonly PlanOrganisation[]): PlanContact[] {
  const byName = new Map(orgs.map((o) => [o.name, o]))
  const demoByName = new Map(DEMO_ORGANISATIONS.map((o) => [o.name, o]))
  const newPerson = personFactory(rnd)
  const open = DEMO_ORGANISATIONS.filter((o) => !o.closed && (o.weight ?? 2) > 0)
  const seatsOf = seats(DEMO_ORGANISATIONS, CONTACT_COUNT)
  // The people who worked at a body that has closed: they now work somewhere else.
  const closed = DEMO_ORGANISATIONS.filter((o) => o.closed)
  const alumni = closed
    .flatMap((o) => Array.from({ length: o.name === 'Integrationsverket' ? 16 : 5 }, () => ({ name: o.name, order: rnd.next() })))
    .sort((a, b) => a.order - b.order)
    .map((a) => a.name)
  const queue = open.flatMap((o) => Array.from({ length: seatsOf.get(o.name) ?? 0 }, () => o.name))

  const contacts: PlanContact[] = []
  for (const [i, orgName] of queue.entries()) {
    const org = byName.get(orgName)!
    const demo = demoByName.get(orgName)!
    const international = org.country !== 'SE' || org.kind === 'international'
    const person = newPerson(international)
    const senior = rnd.chance(0.15)
    const titles = TITLES[org.kind]
    const title = senior ? rnd.pick(titles.senior) : rnd.pick(titles.other)

    const affiliations: PlanAffiliation[] = []
    const stride = Math.floor(queue.length / alumni.length)
    const formerClosed = i % stride === 3 ? alumni[Math.floor(i / stride)] : undefined
    let start: string
    if (formerClosed) {
      const { closed: closedOn, opened } = demoByName.get(formerClosed)!
      start = addDays(closedOn!, rnd.int(1, 240))
      const from = dayBetween(rnd, opened ?? '1998-01-01', addDays(closedOn!, -400))
      affiliations.push({ organisationName: formerClosed, role: rnd.pick(TITLES[byName.get(formerClosed)!.kind].other), start_date: from, end_date: closedOn!, primary: false })
    } else {
      start = dayBetween(rnd, '2002-01-01', addDays(BASE_DATE, -90))
      // About one in five changed jobs: the earlier post ended shortly before this one began.
      if (rnd.chance(0.2) && start > '2004-01-01') {
        const sameKind = open.filter((o) => o.kind === org.kind && o.name !== orgName)
        const before = rnd.chance(0.5) && sameKind.length ? rnd.pick(sameKind) : rnd.pick(open.filter((o) => o.name !== orgName))
        const end = addDays(start, -rnd.int(1, 60))
        const from = dayBetween(rnd, '1996-01-01', addDays(end, -365))
        affiliations.push({ organisationName: before.name, role: rnd.pick(TITLES[before.kind].other), start_date: from, end_date: end, primary: false })
      }
    }
    affiliations.push({ organisationName: orgName, role: title, start_date: start, end_date: null, primary: true })

    const assessed = rnd.next()
    const influence = assessed < 0.68 ? clamp((org.influence ?? 3) + (senior ? 1 : 0) - rnd.int(0, 2)) : null
    const interest = assessed < 0.6 ? clamp((org.interest ?? 3) + rnd.int(-1, 1)) : null
    const tags = [DEMO_TAG]
    if (rnd.chance(0.4)) tags.push(CONTACT_TAGS[0]!)
    if (rnd.chance(0.15)) tags.push(CONTACT_TAGS[1]!)
    if (rnd.chance(0.06)) tags.push(CONTACT_TAGS[2]!)
    if (rnd.chance(0.03)) tags.push(CONTACT_TAGS[3]!)
    if (senior && demo.tags?.includes('styrgrupp')) tags.push(CONTACT_TAGS[4]!)
    const themePaths: string[] = []
    if (org.themePaths.length && rnd.chance(0.5)) themePaths.push(rnd.pick(org.themePaths))
    if (rnd.chance(0.15)) themePaths.push(rnd.pick(TOPICS)[1])

    contacts.push({
      first_name: person.first,
      last_name: person.last,
      email: person.email,
      phone: rnd.chance(0.35) ? `070-174 06 ${String(rnd.int(0, 99)).padStart(2, '0')}` : null,
      title,
      categories: categoriesFor(org.kind, senior, rnd),
      influence,
      interest,
      county: org.county,
      language: international ? 'en' : 'sv',
      tags,
      themePaths: [...new Set(themePaths)],
      affiliations,
    })
  }
  return contacts
}

const KIND_WEIGHTS = [['meeting', 35], ['call', 30], ['email', 20], ['note', 15]] as const

function planInteractions(rnd: Random, orgs: readonly PlanOrganisation[], contacts: readonly PlanContact[]): PlanInteraction[] {
  const byName = new Map(orgs.map((o) => [o.name, o]))
  const staff = new Map<string, PlanContact[]>()
  for (const c of contacts) {
    const current = c.affiliations.find((a) => a.primary)!.organisationName
    staff.set(current, [...(staff.get(current) ?? []), c])
  }
  const seen = new Set<string>()
  const out: PlanInteraction[] = []
  for (let i = 0; out.length < 450 && i < 2000; i++) {
    const person = rnd.pick(contacts)
    const job = person.affiliations.find((a) => a.primary)!
    const org = byName.get(job.organisationName)!
    const topics = TOPICS.filter(([, theme]) => org.themePaths.some((p) => theme === p || theme.startsWith(`${p}/`)))
    const [topic] = topics.length && rnd.chance(0.8) ? rnd.pick(topics) : rnd.pick(TOPICS)
    const recent = rnd.chance(0.12)
    let day = recent ? addDays(BASE_DATE, -rnd.int(1, 60)) : addDays(BASE_DATE, -rnd.int(61, 730))
    if (day < job.start_date) day = addDays(job.start_date, rnd.int(0, 30))
    if (day > BASE_DATE) continue
    const kind = rnd.weighted(KIND_WEIGHTS)
    const name = `${person.first_name} ${person.last_name}`
    const outcome = rnd.pick(OUTCOMES)
    const summary =
      kind === 'meeting' ? `Möte med ${name} (${org.name}) om ${topic}. ${outcome}`
      : kind === 'call' ? `Samtal med ${name} om ${topic}. ${outcome}`
      : kind === 'email' ? `E-post till ${name} med material om ${topic}.`
      : `${org.name} planerar arbete med ${topic}; ${name} håller i det.`
    const key = `${day}|${summary}`
    if (seen.has(key)) continue
    seen.add(key)
    const emails = [person.email]
    const colleagues = (staff.get(org.name) ?? []).filter((c) => c !== person)
    if (kind === 'meeting' && colleagues.length && rnd.chance(0.3)) emails.push(rnd.pick(colleagues).email)
    out.push({
      kind,
      occurred_on: day,
      summary,
      follow_up_on: recent && kind !== 'note' && rnd.chance(0.6) ? addDays(BASE_DATE, rnd.int(-10, 45)) : null,
      contactEmails: emails,
      organisationNames: [org.name],
    })
  }
  return out.sort((a, b) => byCodePoint(a.occurred_on, b.occurred_on) || byCodePoint(a.summary, b.summary))
}

export function demoPlan(): DemoPlan {
  const rnd = seededRandom(SEED)
  const themes = planThemes()
  const organisations = planOrganisations(rnd)
  const contacts = planContacts(rnd, organisations)
  const interactions = planInteractions(rnd, organisations, contacts)
  return { themes, organisations, contacts, interactions }
}
