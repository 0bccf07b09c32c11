import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { outreachApp } from '../newsletter/helpers.ts'

const SRC = join(import.meta.dirname, '../../src')

/**
 * Services name a problem by message key and never see the reader's language: the edge (the
 * error handler, saveForm, a route that shows its own form) translates, once. A service that
 * imports the translator's type or function, or takes a `t` parameter, breaks that rule.
 */
function threadsTranslator(source: string): boolean {
  return /import[^;]*\b(Translate|translator)\b[^;]*from '[^']*i18n(\.ts)?'/.test(source) || /[(,]\s*t\s*\??\s*:\s*[A-Za-z(]/.test(source)
}

describe('services speak in message keys', () => {
  const services = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.service.ts')).map((f) => f.split('\\').join('/')).sort()

  it('has no service that imports the translator or takes a `t` parameter', () => {
    expect(services.length).toBeGreaterThan(25)
    const offending = services.filter((f) => threadsTranslator(readFileSync(join(SRC, f), 'utf8')))
    expect(offending).toEqual([])
  })

  it('catches the shapes it forbids (the check itself)', () => {
    expect(threadsTranslator("import type { Translate } from '../web/i18n.ts'\n")).toBe(true)
    expect(threadsTranslator("import { translator } from '../web/i18n.ts'\n")).toBe(true)
    expect(threadsTranslator('export async function createX(db: Executor, input: XInput, actor: Actor, t: Translate) {}')).toBe(true)
    expect(threadsTranslator('async function check(db: Executor,\n  t: (key: string) => string) {}')).toBe(true)
    expect(threadsTranslator("import { translateFields } from '../web/i18n.ts'\nfor (const t of themes) keep(t)\nconst x = { at: 1 }")).toBe(false)
  })
})

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let cookie: string
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

type Lang = 'sv' | 'en'
const nowhere = '00000000-0000-4000-8000-000000000000'
const api = (lang: Lang, method: string, path: string, body?: unknown, who = editor) =>
  t.request(path, jsonRequest(method, body, { ...who.headers, 'accept-language': lang }))
const created = async (path: string, body: Record<string, unknown>, who = editor) => {
  const res = await api('sv', 'POST', path, body, who)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as { id: string; version: number }
}
/** The API's error for a request, as `{ status, fields }`. */
const refused = async (lang: Lang, method: string, path: string, body: unknown, who = editor) => {
  const res = await api(lang, method, path, body, who)
  return { status: res.status, fields: ((await res.json()) as { error: { fields?: Record<string, string> } }).error.fields ?? {} }
}

describe("a service's problem in the reader's language", () => {
  it('organisations: a taken organisation number, in the API in both languages and on the form in English', async () => {
    const first = await created('/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority', org_number: '202100-2163' })
    const body = { name: 'Migrationsverket Jönköping', kind: 'authority', org_number: '202100-2163' }
    expect(await refused('sv', 'POST', '/api/v1/organisations', body)).toEqual({ status: 400, fields: { org_number: 'Organisationsnumret finns redan i registret.' } })
    expect(await refused('en', 'POST', '/api/v1/organisations', body)).toEqual({ status: 400, fields: { org_number: 'The organisation number is already in the register.' } })
    const other = await created('/api/v1/organisations', { name: 'Skatteverket', kind: 'authority' })
    expect(await refused('en', 'PATCH', `/api/v1/organisations/${other.id}`, { version: other.version, parent_id: other.id })).toEqual({ status: 400, fields: { parent_id: 'An organisation cannot be placed under itself.' } })
    const form = await t.request('/organisations', formPost({ name: 'Migrationsverket Växjö', kind: 'authority', org_number: '202100-2163' }, `${cookie}; lang=en`))
    expect(form.status).toBe(422)
    expect(await form.text()).toContain('The organisation number is already in the register.')
    expect(first.id).toBeTruthy()
  })

  it('contacts: a taken e-mail address in English (the Swedish one is in the contacts API test)', async () => {
    await created('/api/v1/contacts', { first_name: 'Karin', last_name: 'Lind', email: 'karin.lind@example.se' })
    expect(await refused('en', 'POST', '/api/v1/contacts', { first_name: 'K', email: 'Karin.Lind@example.se' })).toEqual({ status: 400, fields: { email: 'The e-mail address is already in use.' } })
    expect(await refused('en', 'POST', '/api/v1/contacts', { first_name: ' ' })).toEqual({ status: 400, fields: { first_name: 'Fill in a first name or a last name.', last_name: 'Fill in a first name or a last name.' } })
  })

  it('users: a taken e-mail address, in both languages', async () => {
    const body = { email: admin.user.email, name: 'Dubblett', role: 'viewer', active: true, password: 'correct horse battery staple' }
    expect(await refused('sv', 'POST', '/api/v1/users', body, admin)).toEqual({ status: 400, fields: { email: 'E-postadressen används redan.' } })
    expect(await refused('en', 'POST', '/api/v1/users', body, admin)).toEqual({ status: 400, fields: { email: 'The e-mail address is already in use.' } })
  })

  const unknownSv = 'Finns inte (eller är borttagen).'
  const unknownEn = 'Does not exist (or is deleted).'
  it.each([
    ['bodies', '/api/v1/bodies', { name: 'Nätverket', kind: 'network', seats: [{ contact_id: nowhere, role: 'member' }] }, 'seats.0.contact_id', unknownSv, unknownEn],
    ['products', '/api/v1/products', { title: 'Film om väntan', kind: 'film', public: true }, 'public',
      'En produkt kan bara visas i idébanken om den har en sammanfattning, eftersom det är den läsarna ser. Skriv en sammanfattning först.',
      'A product can only be shown in the idea bank if it has a summary, because that is what readers see. Write a summary first.'],
    ['projects', '/api/v1/projects', { name: 'ReKOMP', programme: 'equal', theme_ids: [nowhere] }, 'theme_ids', unknownSv, unknownEn],
    ['plans', '/api/v1/plans', { name: 'Metoden till länen', theme_ids: [nowhere] }, 'theme_ids', unknownSv, unknownEn],
    ['alliances', '/api/v1/alliances', { name: 'Mottagningsalliansen', theme_ids: [nowhere] }, 'theme_ids', unknownSv, unknownEn],
  ])('%s: a problem only the service sees, in Swedish and English', async (_area, path, body, field, sv, en) => {
    expect(await refused('sv', 'POST', path, body)).toEqual({ status: 400, fields: { [field]: sv } })
    expect(await refused('en', 'POST', path, body)).toEqual({ status: 400, fields: { [field]: en } })
  })

  it('relationships: an organisation related to itself, in Swedish and English', async () => {
    const org = await created('/api/v1/organisations', { name: 'Europeiska socialfonden', kind: 'authority' })
    const body = { from_organisation_id: org.id, to_organisation_id: org.id, type: 'advises' }
    expect(await refused('sv', 'POST', '/api/v1/organisation-relationships', body)).toEqual({ status: 400, fields: { to_organisation_id: 'En organisation kan inte ha en relation till sig själv.' } })
    expect(await refused('en', 'POST', '/api/v1/organisation-relationships', body)).toEqual({ status: 400, fields: { to_organisation_id: 'An organisation cannot have a relationship with itself.' } })
  })

  /** A page answered 422 in `lang`: its text. */
  const page422 = async (lang: Lang, path: string, fields: Record<string, string>) => {
    const res = await t.request(path, formPost(fields, `${cookie}; lang=${lang}`))
    expect(res.status).toBe(422)
    return res.text()
  }

  it('activities: an end without a start in the API, and a participant no longer there on the page, in both languages', async () => {
    const body = { title: 'Konferens', end_date: '2026-05-01' }
    expect((await refused('sv', 'POST', '/api/v1/activities', body)).fields.start_date).toBe('Ange ett startdatum när det finns ett slutdatum.')
    expect((await refused('en', 'POST', '/api/v1/activities', body)).fields.start_date).toBe('Give a start date when there is an end date.')
    const activity = await created('/api/v1/activities', { title: 'Länsträff', type: 'meeting', start_date: '2026-05-01' })
    const remove = { action: 'remove', participant_id: nowhere, version: String(activity.version) }
    expect(await page422('sv', `/activities/${activity.id}/participants/attendance`, remove)).toContain('Deltagaren finns inte i aktiviteten (någon kan ha tagit bort den).')
    expect(await page422('en', `/activities/${activity.id}/participants/attendance`, remove)).toContain('Not a participant of this activity (someone may have removed it).')
  })

  it('events: registration on an activity that takes none, in both languages (its settings page says so without a form)', async () => {
    const activity = await created('/api/v1/activities', { title: 'Styrgruppsmöte', type: 'meeting', start_date: '2026-05-01' })
    const path = `/api/v1/activities/${activity.id}/registration`
    expect(await refused('sv', 'PUT', path, { open: true })).toEqual({ status: 400, fields: { open: 'Bara seminarier, konferenser, workshoppar och kurser kan ta emot anmälningar.' } })
    expect(await refused('en', 'PUT', path, { open: true })).toEqual({ status: 400, fields: { open: 'Only seminars, conferences, workshops and courses take registrations.' } })
  })

  it('interactions: an interaction linked to nobody, in both languages', async () => {
    const body = { kind: 'meeting', occurred_on: '2026-11-02', summary: 'Samråd' }
    expect(await refused('sv', 'POST', '/api/v1/interactions', body)).toEqual({ status: 400, fields: { contact_ids: 'Koppla minst en kontakt eller organisation.' } })
    expect(await refused('en', 'POST', '/api/v1/interactions', body)).toEqual({ status: 400, fields: { contact_ids: 'Link at least one contact or organisation.' } })
  })

  it('merge: a record merged with itself, in both languages', async () => {
    const org = await created('/api/v1/organisations', { name: 'Arbetsförmedlingen', kind: 'authority' })
    const body = { other_id: org.id, version: org.version, other_version: org.version, fields: {} }
    expect(await refused('sv', 'POST', `/api/v1/organisations/${org.id}/merge`, body)).toEqual({ status: 400, fields: { other_id: 'Välj två olika poster.' } })
    expect(await refused('en', 'POST', `/api/v1/organisations/${org.id}/merge`, body)).toEqual({ status: 400, fields: { other_id: 'Choose two different records.' } })
  })

  it('newsletter issues: a list that does not exist, in both languages', async () => {
    const body = { subject: 'Inbjudan', body: 'Välkommen!', list_ids: [nowhere] }
    expect(await refused('sv', 'POST', '/api/v1/newsletter/issues', body)).toEqual({ status: 400, fields: { list_ids: unknownSv } })
    expect(await refused('en', 'POST', '/api/v1/newsletter/issues', body)).toEqual({ status: 400, fields: { list_ids: unknownEn } })
  })
})

describe('the public forms: a service\'s problem, and the note it stores, in the language of the form', () => {
  let o: Awaited<ReturnType<typeof outreachApp>>
  let activityId: string
  let questionId: string
  beforeAll(async () => {
    o = await outreachApp()
    const headers = (await o.apiToken('editor')).headers
    const a = await o.request('/api/v1/activities', jsonRequest('POST', { title: 'Seminarium om validering', type: 'seminar', status: 'planned', start_date: '2099-04-01', participants: [] }, headers))
    activityId = ((await a.json()) as { id: string }).id
    const s = await o.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', { open: true, questions: [{ label: 'Specialkost', kind: 'text', required: true }] }, headers))
    questionId = ((await s.json()) as { questions: { id: string }[] }).questions[0]!.id
  })
  afterAll(() => o.close())

  const post = (lang: Lang, path: string, fields: Record<string, string>) => o.request(path, formPost(fields, `lang=${lang}`))
  const notesOf = async (email: string) => (await o.db.selectFrom('contacts').select('notes').where('email', '=', email).executeTakeFirstOrThrow()).notes

  it('event registration: a required question left empty, in both languages', async () => {
    for (const [lang, text] of [['sv', 'Svara på frågan.'], ['en', 'Answer the question.']] as const) {
      const res = await post(lang, `/events/${activityId}`, { name: 'Eva Holm', email: 'eva.holm@example.org', [`q_${questionId}`]: ' ' })
      expect(res.status).toBe(422)
      expect(await res.text()).toContain(text)
    }
  })

  it('event registration: an organisation no one knows is kept on the new contact in the words of the form', async () => {
    expect((await post('en', `/events/${activityId}`, { name: 'Jane Doe', email: 'jane.doe@example.org', organisation: 'Acme Integration', [`q_${questionId}`]: 'None' })).status).toBe(200)
    expect(await notesOf('jane.doe@example.org')).toBe('Organisation (given when registering for an event): Acme Integration')
    expect((await post('sv', `/events/${activityId}`, { name: 'Nils Berg', email: 'nils.berg@example.org', organisation: 'Bergs Integration', [`q_${questionId}`]: 'Ingen' })).status).toBe(200)
    expect(await notesOf('nils.berg@example.org')).toBe('Organisation (uppgiven vid anmälan till evenemang): Bergs Integration')
  })

  it('newsletter sign-up: a list that is not open to the public, in both languages, and the note in the words of the form', async () => {
    for (const [lang, text] of [['sv', 'Välj minst ett nyhetsbrev.'], ['en', 'Choose at least one newsletter.']] as const) {
      const res = await post(lang, '/newsletter/subscribe', { name: 'Eva Holm', email: 'eva.holm@example.org', list_ids: nowhere })
      expect(res.status).toBe(422)
      expect(await res.text()).toContain(text)
    }
    const headers = (await o.apiToken('editor')).headers
    const list = (await (await o.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Nyhetsbrev', public: true }, headers))).json()) as { id: string }
    expect((await post('en', '/newsletter/subscribe', { name: 'John Roe', email: 'john.roe@example.org', organisation: 'Roe Partners', list_ids: list.id })).status).toBe(200)
    expect(await notesOf('john.roe@example.org')).toBe('Organisation (given when signing up for the newsletter): Roe Partners')
  })
})

