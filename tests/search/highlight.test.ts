import { describe, expect, it } from 'vitest'
import { highlight, plainText } from '../../src/search/highlight.ts'
import { foldForSearch } from '../../src/register/search-text.ts'

const marks = (text: string, q: string) => highlight(text, foldForSearch(q)).filter((p) => p.hit).map((p) => p.text)

describe('snippet highlighting', () => {
  it('marks the match in the original spelling when typed without accents or case', () => {
    expect(marks('Länsstyrelsen i Jönköpings län', 'JONKOPING')).toEqual(['Jönköping'])
  })

  it('marks a word with the same stem in another inflection', () => {
    expect(marks('Länsstyrelsen i Jönköpings län', 'länsstyrelser')).toEqual(['Länsstyrelsen'])
  })

  it('marks a word a typo away', () => {
    expect(marks('Migrationsverket', 'Migrationsverkt')).toEqual(['Migrationsverket'])
    expect(marks('Migrationsverket', 'Nigrationsverket')).toEqual(['Migrationsverket'])
  })

  it('marks every word of the query, and nothing for unrelated words', () => {
    expect(marks('Röda Korsets Ungdomsförbund', 'korset röda')).toEqual(['Röda', 'Korset'])
    expect(marks('Svenska kyrkan', 'migrationsverket')).toEqual([])
  })

  it('keeps the text whole and unescaped: escaping is the view’s job', () => {
    const parts = highlight('Föreningen <b>Fet</b> & Co', 'fet')
    expect(plainText(parts)).toBe('Föreningen <b>Fet</b> & Co')
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['Fet'])
  })

  it('cuts a long text around the first match', () => {
    const text = `${'Inledande text om annat. '.repeat(20)}Här står asylsökande i mitten. ${'Avslutande text. '.repeat(20)}`
    const parts = highlight(text, 'asylsokande', 120)
    const plain = plainText(parts)
    expect(plain.length).toBeLessThanOrEqual(122)
    expect(plain.startsWith('…')).toBe(true)
    expect(plain.endsWith('…')).toBe(true)
    expect(parts.find((p) => p.hit)?.text).toBe('asylsökande')
  })
})
