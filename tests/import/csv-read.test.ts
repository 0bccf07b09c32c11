import { describe, expect, it } from 'vitest'
import { CsvReadError, readCsv, readCsvInTurns } from '../../src/import/csv-read.ts'

describe('reading a large CSV in turns', () => {
  it('gives exactly what reading it at once gives, quoted line breaks and emoji included', async () => {
    const rows = Array.from({ length: 12000 }, (_, i) => `Förening ${i};"rad ett\r\nrad två 🌍 ${'å'.repeat(i % 50)}";${i}`)
    const text = `\uFEFFNamn;Anteckningar;Nr\r\n${rows.join('\r\n')}\r\n`
    expect(text.length).toBeGreaterThan(512 * 1024)
    expect(await readCsvInTurns(text, ';')).toEqual(readCsv(text, ';'))
  })

  it('refuses a broken file the same way', async () => {
    const text = `Namn;Nr\r\n${'x;1\r\n'.repeat(70_000)}"oavslutat;2`
    await expect(readCsvInTurns(text, ';')).rejects.toBeInstanceOf(CsvReadError)
  })
})
