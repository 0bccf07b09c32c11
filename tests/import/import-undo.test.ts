import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { holdJobLock } from '../../src/import/import-liveness.ts'
import { recoverInterruptedImports } from '../../src/import/import-undo.ts'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { get, importFile, orgNumber, settled } from './import-helpers.ts'
import { ENGINE } from '../helpers/engines.ts'

// Real public organisations; every person is fictional (example.se, 070-174 06 xx).
let t: TestApp
let editor: { cookie: string; user: { id: string } }
let api: { headers: Record<string, string> }
const FORUM = orgNumber('802013002')
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  api = await t.apiToken('editor')
  await importFile(t, editor.cookie, 'organisations', `Namn;Typ;Organisationsnummer;Webbplats\r\nForum – idéburna organisationer med social inriktning;ngo;${FORUM};www.forumideburen.se\r\nRädda Barnen;ngo;;www.raddabarnen.se\r\nStockholms Stadsmission;ngo;;\r\n`)
})
afterAll(() => t.close())

const org = (name: string) => t.db.selectFrom('organisations').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
const contact = (email: string) => t.db.selectFrom('contacts').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
const undo = (reportPath: string, cookie = editor.cookie) => t.request(`${reportPath}/undo`, formPost({}, cookie))

describe('undoing an import', () => {
  it('soft-deletes what it created and restores what it changed, audited, from the report page', async () => {
    const forum = await org('Forum – idéburna organisationer med social inriktning')
    const { reportPath, report } = await importFile(t, editor.cookie, 'organisations',
      `Namn;Typ;Organisationsnummer;Webbplats\r\nForum;ngo;${FORUM};www.forum.example.org\r\nSveriges Stadsmissioner;ngo;;\r\nIdéburna skolors riksförbund;ngo;;\r\n`)
    expect(report).toContain('Ångra importen')
    expect((await org('Forum')).website).toBe('https://www.forum.example.org/')

    const res = await undo(reportPath)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(reportPath)
    expect(await settled(t, reportPath)).toBe('undone')
    const page = await get(t, editor.cookie, reportPath)
    expect(page.html).toContain('Importen är ångrad')
    expect(page.html).not.toContain('action="' + reportPath + '/undo"')

    const restored = await org('Forum – idéburna organisationer med social inriktning')
    expect(restored).toMatchObject({ id: forum.id, website: 'https://www.forumideburen.se/', deleted_at: null })
    for (const name of ['Sveriges Stadsmissioner', 'Idéburna skolors riksförbund']) {
      const o = await org(name)
      expect(o.deleted_at).not.toBeNull()
      expect((await t.request(`/api/v1/organisations/${o.id}`, { headers: api.headers })).status).toBe(404)
      const audit = await t.db.selectFrom('audit_log').select(['action', 'user_id']).where('entity_id', '=', o.id).orderBy('at').execute()
      expect(audit).toEqual([{ action: 'create', user_id: editor.user.id }, { action: 'delete', user_id: editor.user.id }])
    }
    const forumAudit = await t.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', forum.id).where('action', '=', 'update').orderBy('at').execute()
    expect(forumAudit.at(-1)!.changes.name).toEqual(['Forum', 'Forum – idéburna organisationer med social inriktning'])
    // Once is enough, and the page says why (not that someone else changed something).
    const again = await undo(reportPath)
    expect(again.status).toBe(409)
    const refusal = await again.text()
    expect(refusal).toMatch(/<h1>Kan inte ändras<\/h1>/)
    expect(refusal).toContain('Importen kan inte ångras: bara en avslutad import som inte redan är ångrad kan ångras.')
  })

  it('leaves a record edited after the import as it is, and says so', async () => {
    const { reportPath } = await importFile(t, editor.cookie, 'contacts',
      'Förnamn;Efternamn;E-post;Organisation\r\nMaja;Fältskär;maja.faltskar@example.se;Rädda Barnen\r\nOlle;Nyström;olle.nystrom@example.se;Rädda Barnen\r\n')
    const olle = await contact('olle.nystrom@example.se')
    const edited = await t.request(`/api/v1/contacts/${olle.id}`, jsonRequest('PATCH', { version: olle.version, title: 'Samordnare' }, api.headers))
    expect(edited.status).toBe(200)

    await undo(reportPath)
    expect(await settled(t, reportPath)).toBe('undone')
    expect((await contact('maja.faltskar@example.se')).deleted_at).not.toBeNull()
    expect(await contact('olle.nystrom@example.se')).toMatchObject({ deleted_at: null, title: 'Samordnare' })
    const page = await get(t, editor.cookie, reportPath)
    expect(page.html).toContain('Ändrade efter importen och därför lämnade som de är (1)')
    expect(page.html).toContain(`<a href="/contacts/${olle.id}">Olle Nyström</a>`)
  })

  it('takes back an affiliation and a title an import added to a known person', async () => {
    const raddaBarnen = await org('Rädda Barnen')
    const created = await t.request('/api/v1/contacts', jsonRequest('POST', {
      first_name: 'Åsa', last_name: 'Lindström', email: 'asa.lindstrom@example.se', title: 'Verksamhetschef', phone: '070-174 06 11',
      affiliations: [{ organisation_id: raddaBarnen.id, role: 'Chef' }],
    }, api.headers))
    const asa = await created.json()
    const { reportPath } = await importFile(t, editor.cookie, 'contacts', 'Förnamn;Efternamn;E-post;Titel;Organisation\r\nÅsa;Lindström;asa.lindstrom@example.se;Projektledare;Stockholms Stadsmission\r\n')
    const links = () => t.db.selectFrom('affiliations').select(['id', 'organisation_id', 'role']).where('contact_id', '=', asa.id).execute()
    expect(await links()).toHaveLength(2)
    await undo(reportPath)
    expect(await settled(t, reportPath)).toBe('undone')
    expect(await contact('asa.lindstrom@example.se')).toMatchObject({ title: 'Verksamhetschef', deleted_at: null })
    expect(await links()).toEqual([{ id: asa.affiliations[0].id, organisation_id: raddaBarnen.id, role: 'Chef' }])
  })

  it('is for an editor, and only for the one who ran the import', async () => {
    const { reportPath } = await importFile(t, editor.cookie, 'organisations', 'Namn;Typ\r\nRiksförbundet för sexuell upplysning;ngo\r\n')
    const viewer = await t.browser('viewer')
    expect((await undo(reportPath, viewer.cookie)).status).toBe(403)
    const other = await t.browser('editor')
    expect((await undo(reportPath, other.cookie)).status).toBe(404)
    expect((await org('Riksförbundet för sexuell upplysning')).deleted_at).toBeNull()
  })

  it('undoes, at the next start, an import that a crash left running', async () => {
    const { reportPath } = await importFile(t, editor.cookie, 'organisations', 'Namn;Typ\r\nSveriges Kommuner och Regioner;authority\r\nMigrationsverket;authority\r\n')
    const id = reportPath.split('/').pop()!
    // As if the process died after its last batch, before the report was finished.
    await t.db.updateTable('import_reports').set({ status: 'running' }).where('id', '=', id).execute()
    if (t.engine === 'postgres') {
      // On PostgreSQL another instance may be running it: while its job holds the lock, it is left alone.
      const alive = await holdJobLock(t.db, 'postgres', id)
      expect(await recoverInterruptedImports(t.db, 'postgres')).toBe(0)
      await alive.release()
    }
    expect(await recoverInterruptedImports(t.db, t.engine)).toBe(1)
    expect(await settled(t, reportPath)).toBe('failed')
    expect((await org('Migrationsverket')).deleted_at).not.toBeNull()
    expect((await org('Sveriges Kommuner och Regioner')).deleted_at).not.toBeNull()
    const audit = await t.db.selectFrom('audit_log').select(['action', 'user_id']).where('entity_id', '=', (await org('Migrationsverket')).id).orderBy('at').execute()
    expect(audit).toEqual([{ action: 'create', user_id: editor.user.id }, { action: 'delete', user_id: null }])
  })
})

describe.runIf(ENGINE === 'postgres')('a job’s lock on PostgreSQL', () => {
  it('is free for every other connection once its release has resolved', async () => {
    // The release used to return before the unlock was sent: the recovery test above, asking right
    // after, once found the lock still held (CI on 2026-12-06); of 300 releases, 4 were still held.
    let held = 0
    for (let i = 0; i < 300; i++) {
      const id = `lock-release-${i}`
      const lock = await holdJobLock(t.db, 'postgres', id)
      await lock.release()
      const key = sql`hashtextextended(${`navet-import:${id}`}, 0)`
      const free = await t.db.connection().execute(async (other) => {
        const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${key}) as got`.execute(other)
        if (rows[0]!.got) await sql`select pg_advisory_unlock(${key})`.execute(other)
        return rows[0]!.got
      })
      if (!free) held++
    }
    expect(held).toBe(0)
  })
})
