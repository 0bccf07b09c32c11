import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveUpload } from '../../src/import/import.repo.ts'
import { readUploadContent, splitForStorage, storeUploadContent, UPLOAD_CHUNK } from '../../src/import/upload-store.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'
import { countAfter, get, importFile, orgNumber, upload } from './import-helpers.ts'

// An uploaded file is stored in pieces, each its own statement, so that storing or reading a
// large file never holds the embedded database's single connection for long (issue 10).
let t: TestApp
let cookie: string
let userId: string
beforeAll(async () => {
  t = await testApp()
  const browser = await t.browser('editor')
  cookie = browser.cookie
  userId = (await t.db.selectFrom('users').select('id').where('role', '=', 'editor').executeTakeFirstOrThrow()).id
})
afterAll(() => t.close())

/**
 * A Swedish organisations file of `rows` rows as decodeCsv gives it (its byte-order mark gone),
 * with a multi-line cell, an emoji and a line starting with U+FEFF now and then.
 */
function bigCsv(rows: number): string {
  const lines = ['Namn;Typ;Organisationsnummer;Anteckningar']
  for (let i = 0; i < rows; i++) {
    const note = i % 97 === 0 ? '"Två rader:\r\nandra raden 🌍"' : `Samverkar kring mottagande i Växjö, Åre och Örebro ${i}`
    lines.push(`${i % 89 === 0 ? '\uFEFF' : ''}Föreningen Stor Lista ${i};Frivilligorganisation;${orgNumber(String(802300000 + i))};${note}`)
  }
  return lines.join('\r\n') + '\r\n'
}

const piecesOf = async (uploadId: string) =>
  t.db.selectFrom('import_upload_chunks').select(['seq', 'content']).where('upload_id', '=', uploadId).orderBy('seq').execute()

describe('an uploaded file stored in pieces', () => {
  it('cuts a file at line breaks into pieces no longer than a chunk, never inside an emoji, and joins back to the same text', () => {
    const text = bigCsv(6000)
    const pieces = splitForStorage(text)
    expect(pieces.length).toBeGreaterThan(2)
    expect(pieces.join('')).toBe(text)
    for (const p of pieces.slice(0, -1)) {
      expect(p.length).toBeLessThanOrEqual(UPLOAD_CHUNK + 1)
      expect(p.endsWith('\n') || p.endsWith('\n\uFEFF')).toBe(true)
    }
    // A piece never starts with U+FEFF: read back, it would be taken for a byte-order mark and lost.
    expect(splitForStorage('ab\n\uFEFFcd', 3)).toEqual(['ab\n\uFEFF', 'cd'])
    // No line break within reach: cut at the size, but not between the halves of a surrogate pair.
    const emoji = '🌍'.repeat(10)
    const cut = splitForStorage(emoji, 5)
    expect(cut.join('')).toBe(emoji)
    for (const p of cut) expect(p.length % 2).toBe(0)
  })

  it('stores a large upload in several pieces and reads it back byte for byte', async () => {
    const text = bigCsv(6000)
    const id = await saveUpload(t.db, { user_id: userId, entity: 'organisations', filename: 'stor.csv', content: text, delimiter: ';' })
    const pieces = await piecesOf(id)
    expect(pieces.length).toBe(splitForStorage(text).length)
    expect(pieces.every((p) => p.content.length <= UPLOAD_CHUNK + 1)).toBe(true)
    const upload = await t.db.selectFrom('import_uploads').select(['id', 'chunks']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(upload.chunks).toBe(pieces.length)
    const back = await readUploadContent(t.db, upload)
    expect(Buffer.from(back!, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true)
  })

  // The embedded database has one connection: one long statement would hold every other request
  // until the file is stored. On PostgreSQL the meanwhile query runs on another connection of the
  // pool, so which finishes first is a matter of timing only (it failed CI once on a quiet machine).
  it.runIf(ENGINE === 'pglite')('is not one long statement: a query asked for meanwhile is answered before the file is all stored', async () => {
    const text = bigCsv(6000)
    const { id } = await t.db.insertInto('import_uploads').values({ user_id: userId, entity: 'organisations', filename: 'stor.csv', delimiter: ';' }).returning('id').executeTakeFirstOrThrow()
    const order: string[] = []
    const storing = storeUploadContent(t.db, id, text).then(() => order.push('stored'))
    const meanwhile = t.db.selectFrom('import_uploads').select('chunks').where('id', '=', id).executeTakeFirstOrThrow().then((r) => {
      order.push('answered')
      return r
    })
    const seen = await meanwhile
    await storing
    expect(order).toEqual(['answered', 'stored'])
    // Not yet whole when the other query ran: the upload did not yet say how many pieces it has.
    expect(seen.chunks).toBeNull()
  })

  it('never reads a file whose storing was cut short, nor one with a piece missing', async () => {
    const text = bigCsv(3000)
    const id = await saveUpload(t.db, { user_id: userId, entity: 'organisations', filename: 'avbruten.csv', content: text, delimiter: ';' })
    const n = (await piecesOf(id)).length
    expect(n).toBeGreaterThan(1)
    // Cut short before the count was written: as a crash mid-store leaves it.
    expect(await readUploadContent(t.db, { id, chunks: null })).toBeUndefined()
    await t.db.deleteFrom('import_upload_chunks').where('upload_id', '=', id).where('seq', '=', n - 1).execute()
    expect(await readUploadContent(t.db, { id, chunks: n })).toBeUndefined()
  })

  it('goes through the pages as before: the mapping counts every row, and the pieces are gone once imported', async () => {
    const rows = 3000
    const text = bigCsv(rows)
    expect(splitForStorage(text).length).toBeGreaterThan(1)
    const id = await upload(t, cookie, 'organisations', text)
    expect((await piecesOf(id)).length).toBeGreaterThan(1)
    const mapping = await get(t, cookie, `/import/${id}/mapping`)
    expect(mapping.status).toBe(200)
    expect(mapping.html).toContain(`har ${rows} rader`)
    const imported = await importFile(t, cookie, 'organisations', 'Namn;Typ\r\nFöreningen Liten;Frivilligorganisation\r\n')
    expect(countAfter(imported.report, 'Skapade')).toBe(1)
    const after = await t.db.selectFrom('import_uploads').select('chunks').where('id', '=', imported.id).executeTakeFirstOrThrow()
    expect(after.chunks).toBeNull()
    expect(await piecesOf(imported.id)).toEqual([])
  })
})
