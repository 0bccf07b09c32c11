import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, ORIGIN, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, auditOf, type Api } from './helpers.ts'

let t: TestApp
let h: Api
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let editor: { cookie: string }
let viewer: { cookie: string }
let seminarGroup: { id: string; email: string }[]
let county: { id: string }
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  admin = await t.apiToken('admin')
  editor = await t.browser('editor')
  viewer = await t.browser('viewer')
  county = await h.organisation('Länsstyrelsen i Västerbottens län', { kind: 'county_board' })
  seminarGroup = []
  for (let i = 1; i <= 45; i++) {
    seminarGroup.push(
      await h.contact('Integrationshandläggare', `Nr${String(i).padStart(2, '0')}`, {
        email: `handlaggare${i}@example.se`,
        county: 'Västerbottens län',
        categories: ['practitioner'],
        affiliations: i <= 40 ? [{ organisation_id: county.id }] : [],
      }),
    )
  }
})
afterAll(() => t.close())

const page = async (path: string, who = editor) => {
  const res = await t.request(path, { headers: { cookie: who.cookie } })
  return { status: res.status, html: await res.text() }
}
const post = (path: string, fields: Record<string, string | string[]>, who = editor) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  const init = formPost({}, who.cookie)
  return t.request(path, { ...init, body: body.toString() })
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const participantsOf = async (id: string) =>
  (await h.get(`/api/v1/activities/${id}`)).participants as { id: string; contact_id: string; attendance: string; role: string }[]
const updates = async (id: string) => (await auditOf(h, id, admin)).filter((r) => r.action === 'update')

describe('the participants page', () => {
  it('lists the contacts to pick from, filtered by organisation, with forty ticked and added in one request', async () => {
    const a = await h.activity({ title: 'Seminarium om hälsokommunikation', type: 'seminar' })
    const { status, html } = await page(`/activities/${a.id}/participants?organisation_id=${county.id}`)
    expect(status).toBe(200)
    expect(text(html)).toContain('40 träffar')
    const ids = [...html.matchAll(/name="contact_id" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!)
    expect(ids).toHaveLength(40)
    const res = await post(`/activities/${a.id}/participants/pick`, { version: '1', contact_id: ids, pick_role: 'participant', pick_attendance: 'registered' })
    expect(res.status).toBe(200)
    expect(text(await res.text())).toContain('40 tillagda, 0 fanns redan med')
    const list = await participantsOf(a.id)
    expect(list).toHaveLength(40)
    expect(list.every((p) => p.attendance === 'registered')).toBe(true)
    const audit = await updates(a.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]!.changes.participants![1]).toMatchObject({ added: 40 })
  })

  it('adds pasted addresses whatever their case and lists the unknown one back', async () => {
    const a = await h.activity({ title: 'Workshop i Umeå', type: 'workshop' })
    const pasted = 'HANDLAGGARE1@example.se; Nr02 <handlaggare2@example.se>\nhandlaggare3@example.se, okand.person@example.org\nhandlaggare1@example.se'
    const res = await post(`/activities/${a.id}/participants/paste`, { version: '1', emails: pasted, role: 'participant', attendance: 'invited' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(text(html)).toContain('3 tillagda')
    expect(text(html)).toContain('1 adress finns inte i registret och lades inte till: okand.person@example.org')
    expect((await participantsOf(a.id)).map((p) => p.contact_id).sort()).toEqual(seminarGroup.slice(0, 3).map((p) => p.id).sort())
    expect(await updates(a.id)).toHaveLength(1)
  })

  it('a pasted list of who came marks the invited as attended and says so (issue 14: it said "0 tillagda, 38 fanns redan med")', async () => {
    const invited = seminarGroup.slice(0, 38)
    const a = await h.activity({
      title: 'Seminarium med närvaro', type: 'seminar',
      participants: [...invited.map((p) => ({ contact_id: p.id, attendance: 'invited' })), { contact_id: seminarGroup[44]!.id, attendance: 'attended' }],
    })
    const came = [...invited, seminarGroup[40]!, seminarGroup[41]!].map((p) => p.email).join('\n')
    const res = await post(`/activities/${a.id}/participants/paste`, { version: '1', emails: came, role: 'participant', attendance: 'attended' })
    expect(res.status).toBe(200)
    const shown = text(await res.text())
    expect(shown).toContain('2 tillagda, 0 fanns redan med, 38 ändrade, 0 borttagna.')
    expect(shown).toContain('38 som redan fanns med har nu närvaron ”Deltog”.')
    const list = await participantsOf(a.id)
    expect(list).toHaveLength(41)
    expect(list.every((p) => p.attendance === 'attended')).toBe(true)
    expect(await updates(a.id)).toHaveLength(1)
    // "Inbjuden" never takes back another attendance.
    const again = await post(`/activities/${a.id}/participants/paste`, { version: '2', emails: invited[0]!.email, role: 'participant', attendance: 'invited' })
    expect(text(await again.text())).toContain('0 tillagda, 1 fanns redan med, 0 ändrade')
    expect((await participantsOf(a.id)).find((p) => p.contact_id === invited[0]!.id)!.attendance).toBe('attended')
  })

  it('a registration CSV marks those already invited as registered', async () => {
    const a = await h.activity({ title: 'Kurs med anmälan', type: 'course', participants: [{ contact_id: seminarGroup[6]!.id, attendance: 'invited' }] })
    const form = new FormData()
    form.append('version', '1')
    form.append('import_role', 'participant')
    form.append('import_attendance', 'registered')
    form.append('file', new Blob(['E-post\r\nhandlaggare7@example.se\r\nhandlaggare8@example.se\r\n'], { type: 'text/csv' }), 'anmalda.csv')
    const res = await t.request(`/activities/${a.id}/participants/import`, {
      method: 'POST', body: form, headers: { cookie: editor.cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    })
    const shown = text(await res.text())
    expect(shown).toContain('1 tillagd, 0 fanns redan med, 1 ändrad')
    expect(shown).toContain('1 som redan fanns med har nu närvaron ”Anmäld”.')
    expect((await participantsOf(a.id)).every((p) => p.attendance === 'registered')).toBe(true)
  })

  it('imports a Windows-1252 registration list with semicolons, matching the e-mail column', async () => {
    const a = await h.activity({ title: 'Konferens i Skellefteå', type: 'conference' })
    const csv = 'Namn;E-postadress;Organisation\r\nÅsa Åkesson;handlaggare4@example.se;Länsstyrelsen\r\nÖrjan Ödmark;orjan@example.org;Kommunen\r\n;handlaggare5@example.se;\r\n'
    const form = new FormData()
    form.append('version', '1')
    form.append('import_role', 'participant')
    form.append('import_attendance', 'registered')
    form.append('file', new Blob([new Uint8Array(iconv.encode(csv, 'win1252'))], { type: 'text/csv' }), 'anmalda.csv')
    const res = await t.request(`/activities/${a.id}/participants/import`, {
      method: 'POST', body: form, headers: { cookie: editor.cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    })
    expect(res.status).toBe(200)
    const shown = text(await res.text())
    expect(shown).toContain('2 tillagda')
    // The unknown row is listed with its name, read correctly from Windows-1252.
    expect(shown).toContain('orjan@example.org (Örjan Ödmark)')
    const list = await participantsOf(a.id)
    expect(list.map((p) => p.contact_id).sort()).toEqual([seminarGroup[3]!.id, seminarGroup[4]!.id].sort())
    expect(list.every((p) => p.attendance === 'registered')).toBe(true)
    expect(await updates(a.id)).toHaveLength(1)
  })

  it('says so when the file has no e-mail column', async () => {
    const a = await h.activity({ title: 'Kurs' })
    const form = new FormData()
    form.append('version', '1')
    form.append('import_role', 'participant')
    form.append('import_attendance', 'registered')
    form.append('file', new Blob(['Namn;Ort\r\nAnna;Umeå\r\n']), 'fel.csv')
    const res = await t.request(`/activities/${a.id}/participants/import`, {
      method: 'POST', body: form, headers: { cookie: editor.cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Filen gick inte att läsa som CSV med en kolumn för e-postadresser.')
  })

  it('marks attendance for all participants in one go, then removes the ticked ones', async () => {
    const a = await h.activity({ title: 'Seminarium i Lycksele', participants: seminarGroup.slice(0, 12).map((p) => ({ contact_id: p.id })) })
    let res = await post(`/activities/${a.id}/participants/attendance`, { version: '1', scope: 'all', attendance: 'attended', action: 'attendance' })
    expect(res.status).toBe(200)
    expect(text(await res.text())).toContain('12 ändrade')
    let list = await participantsOf(a.id)
    expect(list.every((p) => p.attendance === 'attended')).toBe(true)
    const two = list.slice(0, 2).map((p) => p.id)
    res = await post(`/activities/${a.id}/participants/attendance`, { version: '2', scope: 'selected', participant_id: two, attendance: 'no_show', action: 'attendance' })
    list = await participantsOf(a.id)
    expect(list.filter((p) => p.attendance === 'no_show').map((p) => p.id).sort()).toEqual([...two].sort())
    res = await post(`/activities/${a.id}/participants/attendance`, { version: '3', participant_id: two, action: 'remove', attendance: 'attended' })
    expect((await participantsOf(a.id)).map((p) => p.id)).not.toContain(two[0])
    expect(await updates(a.id)).toHaveLength(3)
  })

  it('refuses a stale page with 409, keeping the pasted addresses', async () => {
    const a = await h.activity({ title: 'Möte med länen' })
    await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, location: 'Umeå' })
    const res = await post(`/activities/${a.id}/participants/paste`, { version: '1', emails: 'handlaggare9@example.se', role: 'participant', attendance: 'invited' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat aktivitetens deltagare under tiden.')
    expect(html).toContain('handlaggare9@example.se</textarea>')
    expect(await participantsOf(a.id)).toEqual([])
  })

  it('shows a viewer the participants but no way to change them', async () => {
    const a = await h.activity({ title: 'Läsbart seminarium', participants: [{ contact_id: seminarGroup[0]!.id }] })
    const { status, html } = await page(`/activities/${a.id}/participants`, viewer)
    expect(status).toBe(200)
    expect(html).toContain('Nr01')
    expect(html).not.toContain('/participants/paste')
    expect((await post(`/activities/${a.id}/participants/paste`, { version: '1', emails: 'x@example.se', role: 'participant', attendance: 'invited' }, viewer)).status).toBe(403)
  })
})
