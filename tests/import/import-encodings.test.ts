import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { testApp, testConfig, type TestApp } from '../helpers/app.ts'
import { countAfter, importFile, uploadResponse } from './import-helpers.ts'

// The app's log, captured: nothing of a refused file may end up there.
let logged = ''
const capture = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done() } })
let t: TestApp
let cookie: string
beforeAll(async () => {
  const base = await testApp()
  const app = createApp({ db: base.db, engine: base.engine, config: testConfig, log: pino({ level: 'info' }, capture) })
  t = { ...base, app, request: (path: string, init?: RequestInit) => app.request(path, init) }
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

/** Excel's "Unicode text": UTF-16 little-endian with a byte-order mark, tab-separated. */
function utf16le(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
}
function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le')
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!]
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), le]))
}

describe('CSV files in other encodings', () => {
  it('imports Excel’s “Unicode text” (UTF-16 with a byte-order mark), keeping å ä ö', async () => {
    const { report } = await importFile(t, cookie, 'organisations', utf16le('Namn\tTyp\tLän\r\nÖstersunds kommun\tmunicipality\tJämtlands län\r\nMalmö stad\tmunicipality\tSkåne län\r\n'))
    expect(countAfter(report, 'Skapade')).toBe(2)
    const o = await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Östersunds kommun').executeTakeFirstOrThrow()
    expect(o).toMatchObject({ kind: 'municipality', county: 'Jämtlands län' })
  })

  it('imports UTF-16 big-endian as well', async () => {
    const { report } = await importFile(t, cookie, 'organisations', utf16be('Namn;Typ\r\nGävle kommun;municipality\r\n'))
    expect(countAfter(report, 'Skapade')).toBe(1)
  })

  it('refuses a file with NUL bytes that is not UTF-16 with a clear message, and logs none of it', async () => {
    logged = ''
    const bytes = new Uint8Array(Buffer.concat([Buffer.from('Namn;Typ\r\nHemlig Förening\0;ngo\r\n'), Buffer.from([0, 1, 2, 0xff])]))
    const res = await uploadResponse(t, cookie, 'organisations', bytes)
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Filen är inte en textfil i en kodning')
    // A UTF-16 file without its byte-order mark is not guessed at either: it is refused, not a 500.
    const bomless = await uploadResponse(t, cookie, 'organisations', utf16le('Namn;Typ\r\nHemlig Stiftelse;ngo\r\n').slice(2))
    expect(bomless.status).toBe(422)
    expect(logged).not.toContain('Hemlig')
  })
})
