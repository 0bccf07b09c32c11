import iconv from 'iconv-lite'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BATCH } from '../../src/import/import-run.ts'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { acceptMapping, countAfter, countRows, get, importFile, orgNumber, run, selectedValues, settled, upload, uploadResponse } from './import-helpers.ts'

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

const names = async () => (await t.db.selectFrom('organisations').select('name').where('deleted_at', 'is', null).orderBy('sort_name').execute()).map((r) => r.name)

describe('CSV import of organisations', () => {
  it('imports a UTF-8 file with commas and a byte-order mark, keeping å ä ö', async () => {
    const csv = '\uFEFFNamn,Typ,Organisationsnummer,Län\r\n' +
      `Länsstyrelsen i Örebro län,Länsstyrelse,${orgNumber('202100293')},Örebro län\r\n` +
      `Umeå kommun,municipality,${orgNumber('212000246')},Västerbottens län\r\n`
    const { report } = await importFile(t, cookie, 'organisations', csv)
    expect(countAfter(report, 'Skapade')).toBe(2)
    const umea = await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Umeå kommun').executeTakeFirstOrThrow()
    expect(umea).toMatchObject({ kind: 'municipality', county: 'Västerbottens län', org_number: orgNumber('212000246'), version: 1 })
    const orebro = await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Länsstyrelsen i Örebro län').executeTakeFirstOrThrow()
    expect(orebro.kind).toBe('county_board')
    const created = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', umea.id).execute()
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({ action: 'create', entity_type: 'organisation' })
    expect(created[0]!.changes.name).toEqual([null, 'Umeå kommun'])
  })

  it('writes the same audit entry for an imported organisation as the form or API would', async () => {
    const api = await t.apiToken('editor')
    const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name: 'Försäkringskassan Gävle', kind: 'authority', county: 'Gävleborgs län', tags: ['a', 'b'], website: 'www.forsakringskassan.se' }, api.headers))
    const viaApi = (await res.json()).id
    await importFile(t, cookie, 'organisations', 'Namn;Typ;Län;Taggar;Webbplats\r\nFörsäkringskassan Umeå;authority;Västerbottens län;a, b;www.forsakringskassan.se\r\n')
    const viaImport = (await t.db.selectFrom('organisations').select('id').where('name', '=', 'Försäkringskassan Umeå').executeTakeFirstOrThrow()).id
    const changes = async (id: string) => (await t.db.selectFrom('audit_log').select('changes').where('entity_id', '=', id).executeTakeFirstOrThrow()).changes
    const [a, b] = [await changes(viaApi), await changes(viaImport)]
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort())
    expect(b.tags).toEqual(a.tags)
    expect(b.website).toEqual(a.website)
  })

  it('imports a Windows-1252 file with semicolons as Swedish Excel saves it', async () => {
    const text = 'Namn;Typ;Län;Taggar\r\nGöteborgs Räddningsmission;Frivilligorganisation;Västra Götalands län;mottagning, språkcafé\r\nSkåne läns Ö-förening;ngo;Skåne;\r\n'
    const bytes = iconv.encode(text, 'win1252')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
    const { report } = await importFile(t, cookie, 'organisations', bytes)
    expect(countAfter(report, 'Skapade')).toBe(2)
    const o = await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Göteborgs Räddningsmission').executeTakeFirstOrThrow()
    expect(o).toMatchObject({ kind: 'ngo', county: 'Västra Götalands län', tags: ['mottagning', 'språkcafé'] })
    expect(await names()).toContain('Skåne läns Ö-förening')
  })

  it('remembers the mapping chosen for a set of headers and offers it for the next file', async () => {
    const csv = 'Organisation;Kategori;Kommentar\r\nIntegrationsverket;authority;läggs ner\r\n'
    const first = await upload(t, cookie, 'organisations', csv)
    // "Kategori" is not guessed; the user maps it to kind, and leaves the comment out.
    await acceptMapping(t, cookie, first, { map_1: 'kind', map_2: '' })
    const next = await upload(t, cookie, 'organisations', 'organisation;kategori;kommentar\r\nCEIFO;research;x\r\n')
    const page = await get(t, cookie, `/import/${next}/mapping`)
    expect(page.html).toContain('känns igen från en tidigare import')
    expect(selectedValues(page.html)).toMatchObject({ map_0: 'name', map_1: 'kind', map_2: '' })
  })

  it('shows each row’s errors next to it in the preview, before anything is saved', async () => {
    const csv = `Namn;Typ;Organisationsnummer;Län\r\nRätt AB;business;${orgNumber('556000001')};Uppsala län\r\nFel nummer;business;556000-0017;\r\nFel län;business;;Narnia län\r\n`
    const id = await upload(t, cookie, 'organisations', csv)
    await acceptMapping(t, cookie, id)
    const before = await countRows(t, 'organisations')
    const { html } = await get(t, cookie, `/import/${id}/preview`)
    expect(countAfter(html, 'Med fel \\(läses inte in\\)')).toBe(2)
    const rowOf = (line: number) => html.match(new RegExp(`<tr[^>]*>\\s*<td>${line}</td>[\\s\\S]*?</tr>`))?.[0] ?? ''
    expect(rowOf(3)).toContain('Organisationsnummer: Organisationsnumret stämmer inte')
    expect(rowOf(4)).toContain('Län: Välj ett av Sveriges 21 län.')
    expect(rowOf(2)).toContain('Skapas')
    expect(await countRows(t, 'organisations')).toBe(before)
  })

  it('creates nothing new when the same file is imported again', async () => {
    const csv = `Namn;Typ;Organisationsnummer\r\nMalmö stad;municipality;${orgNumber('212000112')}\r\nRöda Korsets ungdomsförbund i Malmö;ngo;\r\n`
    await importFile(t, cookie, 'organisations', csv)
    const [orgs, audits] = [await countRows(t, 'organisations'), await countRows(t, 'audit_log')]
    const { report } = await importFile(t, cookie, 'organisations', csv)
    expect(countAfter(report, 'Skapade')).toBe(0)
    expect(countAfter(report, 'Oförändrade \\(fanns redan\\)')).toBe(2)
    expect(await countRows(t, 'organisations')).toBe(orgs)
    expect(await countRows(t, 'audit_log')).toBe(audits)
  })

  it('updates the organisation with the same organisation number, filling in what changed', async () => {
    const number = orgNumber('202100474')
    const existing = await t.db
      .insertInto('organisations')
      .values({ name: 'Statens skolverk', kind: 'authority', org_number: number, tags: ['skola'], sort_name: 'statens skolverk' })
      .returningAll()
      .executeTakeFirstOrThrow()
    const csv = `Namn;Organisationsnummer;Webbplats;Taggar;Län\r\nSkolverket;${number};www.skolverket.se;nyanlända;\r\n`
    const { report } = await importFile(t, cookie, 'organisations', csv)
    expect(countAfter(report, 'Uppdaterade')).toBe(1)
    const after = await t.db.selectFrom('organisations').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ name: 'Skolverket', website: 'https://www.skolverket.se/', tags: ['skola', 'nyanlända'], kind: 'authority', version: 2 })
    const update = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', existing.id).where('action', '=', 'update').executeTakeFirstOrThrow()
    expect(Object.keys(update.changes).sort()).toEqual(['name', 'tags', 'website'])
  })

  it('offers a similar name as a possible duplicate to merge into, create anew or skip', async () => {
    const existing = await t.db
      .insertInto('organisations')
      .values({ name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board', sort_name: 'lansstyrelsen i jonkopings lan', search_text: 'lansstyrelsen i jonkopings lan' })
      .returningAll()
      .executeTakeFirstOrThrow()
    const csv = 'Namn;Typ;Webbplats\r\nLänsstyrelsen Jönköpings län;county_board;www.lansstyrelsen.se/jonkoping\r\n'
    const id = await upload(t, cookie, 'organisations', csv)
    await acceptMapping(t, cookie, id)
    const { html } = await get(t, cookie, `/import/${id}/preview`)
    expect(html).toContain('Möjliga dubbletter (1)')
    expect(html).toContain(`<option value="update:${existing.id}">Slå ihop med Länsstyrelsen i Jönköpings län</option>`)
    // Not the same name exactly: a new record unless the user says otherwise.
    expect(selectedValues(html).row_2).toBe('create')
    await run(t, cookie, id, { row_2: `update:${existing.id}` })
    const after = await t.db.selectFrom('organisations').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow()
    expect(after.website).toBe('https://www.lansstyrelsen.se/jonkoping')
    expect(await t.db.selectFrom('organisations').select('id').where('name', '=', 'Länsstyrelsen Jönköpings län').execute()).toHaveLength(0)
  })

  it('reports the counts and gives the failed rows back as CSV with the error beside each', async () => {
    const csv = 'Namn;Typ;Inflytande\r\nFörsta Rätt;ngo;3\r\n;ngo;2\r\nAndra Fel;klubb;9\r\n'
    const { report, reportPath } = await importFile(t, cookie, 'organisations', csv)
    expect(countAfter(report, 'Skapade')).toBe(1)
    expect(countAfter(report, 'Med fel')).toBe(2)
    const res = await t.request(`${reportPath}/failed.csv`, { headers: { cookie } })
    expect(res.headers.get('content-type')).toContain('text/csv')
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('Namn,Typ,Inflytande,Fel')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^,ngo,2,Namn: Fyll i fältet\.$/)
    expect(lines[2]).toMatch(/^Andra Fel,klubb,9,/)
    expect(lines[2]).toContain('Typ: Välj ett av alternativen.')
  })

  it('undoes the batches already written when a later batch fails in the database: nothing of the import stays', async () => {
    const number = orgNumber('202100555')
    await t.db.insertInto('organisations').values({ name: 'Arbetsförmedlingen', kind: 'authority', org_number: number, sort_name: 'arbetsformedlingen' }).execute()
    await sql`create function refuse_broken_row() returns trigger language plpgsql as $$
      begin raise exception 'refused by test'; end $$`.execute(t.db)
    await sql`create trigger refuse_broken_row before insert on organisations for each row
      when (new.name = 'Trasig rad') execute function refuse_broken_row()`.execute(t.db)
    const live = async () => Number((await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n)
    try {
      // The first batches (the update among them) are written before the one with the broken row fails.
      const rows = [`Arbetsförmedlingen Nord;authority;${number}`]
      for (let i = 0; i < BATCH + 50; i++) rows.push(`Förening nummer ${i};ngo;`)
      rows.push('Trasig rad;ngo;')
      const id = await upload(t, cookie, 'organisations', `Namn;Typ;Organisationsnummer\r\n${rows.join('\r\n')}\r\n`)
      await acceptMapping(t, cookie, id)
      const before = await live()
      const res = await t.request(`/import/${id}/run`, formPost({}, cookie))
      expect(res.status).toBe(303)
      const reportPath = res.headers.get('location')!
      expect(await settled(t, reportPath)).toBe('failed')
      const page = await get(t, cookie, reportPath)
      expect(page.html).toContain('Importen avbröts')
      expect(page.html).toContain('registret är som före importen')
      expect(await live()).toBe(before)
      const kept = await t.db.selectFrom('organisations').select(['id', 'name', 'version']).where('org_number', '=', number).executeTakeFirstOrThrow()
      expect(kept).toMatchObject({ name: 'Arbetsförmedlingen', version: 3 })
      // The audit tells what happened: each record created, then deleted again; the name changed and changed back.
      const created = await t.db.selectFrom('organisations').select('id').where('name', 'like', 'Förening nummer %').execute()
      expect(created.length).toBeGreaterThan(0)
      const deletions = await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'delete').where('entity_id', 'in', created.map((c) => c.id)).execute()
      expect(deletions.length).toBe(created.length)
      const names = await t.db.selectFrom('audit_log').select('changes').where('entity_id', '=', kept.id).where('action', '=', 'update').orderBy('at').execute()
      expect(names.map((a) => a.changes.name)).toEqual([['Arbetsförmedlingen', 'Arbetsförmedlingen Nord'], ['Arbetsförmedlingen Nord', 'Arbetsförmedlingen']])
      // The file is still there to try again.
      expect((await get(t, cookie, `/import/${id}/preview`)).status).toBe(200)
    } finally {
      await sql`drop trigger refuse_broken_row on organisations`.execute(t.db)
      await sql`drop function refuse_broken_row()`.execute(t.db)
    }
  }, 60_000)

  it('shows the progress on the report page while the import runs (htmx polls it), then the outcome', async () => {
    const { reportPath } = await importFile(t, cookie, 'organisations', 'Namn;Typ\r\nStudieförbundet Vuxenskolan;ngo\r\n')
    const id = reportPath.split('/').pop()!
    await t.db.updateTable('import_reports').set({ status: 'running', total: 1200, done: 500 }).where('id', '=', id).execute()
    const running = await get(t, cookie, reportPath)
    expect(running.html).toContain('Importen pågår')
    expect(running.html).toContain('500 av 1200 rader klara')
    expect(running.html).toContain(`hx-get="${reportPath}/progress" hx-trigger="every 1s"`)
    const poll = await t.request(`${reportPath}/progress`, { headers: { cookie, 'hx-request': 'true' } })
    expect(poll.headers.get('hx-refresh')).toBeNull()
    expect(await poll.text()).toContain('500 av 1200 rader klara')
    await t.db.updateTable('import_reports').set({ status: 'done', total: 1, done: 1 }).where('id', '=', id).execute()
    const finished = await t.request(`${reportPath}/progress`, { headers: { cookie, 'hx-request': 'true' } })
    expect(finished.headers.get('hx-refresh')).toBe('true')
    expect(countAfter((await get(t, cookie, reportPath)).html, 'Skapade')).toBe(1)
  })

  it('accepts a file over the app’s usual 1 MB limit, and refuses an upload that is not CSV', async () => {
    const big = `Namn;Typ;Anteckningar\r\n${Array.from({ length: 3000 }, (_, i) => `Förening ${i};ngo;${'x'.repeat(400)}`).join('\r\n')}\r\n`
    expect(big.length).toBeGreaterThan(1024 * 1024)
    expect((await uploadResponse(t, cookie, 'organisations', big)).status).toBe(303)
    const empty = await uploadResponse(t, cookie, 'organisations', 'Namn;Typ\r\n')
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Filen har inga rader')
  })

  it('keeps one user’s upload and report from another', async () => {
    const id = await upload(t, cookie, 'organisations', 'Namn;Typ\r\nNordiska ministerrådet;international\r\n')
    const other = (await t.browser('editor')).cookie
    expect((await get(t, other, `/import/${id}/mapping`)).status).toBe(404)
    await acceptMapping(t, cookie, id)
    const reportPath = await run(t, cookie, id)
    expect((await get(t, other, reportPath)).status).toBe(404)
  })
})
