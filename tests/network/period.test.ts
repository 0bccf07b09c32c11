import { describe, expect, it } from 'vitest'
import { byPeriod, periodsOverlap, validOn } from '../../src/register/period.ts'

const p = (start_date: string | null, end_date: string | null) => ({ start_date, end_date })

describe('periods', () => {
  it('includes both the first and the last day, and treats a missing end as open', () => {
    expect(validOn(p('2005-01-01', '2005-12-31'), '2004-12-31')).toBe(false)
    expect(validOn(p('2005-01-01', '2005-12-31'), '2005-01-01')).toBe(true)
    expect(validOn(p('2005-01-01', '2005-12-31'), '2005-12-31')).toBe(true)
    expect(validOn(p('2005-01-01', '2005-12-31'), '2006-01-01')).toBe(false)
    expect(validOn(p(null, null), '1900-01-01')).toBe(true)
  })

  it('sees an overlap when two periods share a single day, and none when one ends the day before the other starts', () => {
    expect(periodsOverlap(p('2005-01-01', '2005-12-31'), p('2005-12-31', null))).toBe(true)
    expect(periodsOverlap(p('2005-01-01', '2005-12-30'), p('2005-12-31', null))).toBe(false)
    expect(periodsOverlap(p(null, '2005-01-01'), p('2005-01-01', null))).toBe(true)
    expect(periodsOverlap(p(null, null), p('2030-01-01', '2030-01-01'))).toBe(true)
    expect(periodsOverlap(p('2006-01-01', null), p(null, '2005-12-31'))).toBe(false)
  })

  it('splits a list into current, upcoming and past on a day', () => {
    const list = [p('2001-01-01', '2001-12-31'), p('2005-01-01', null), p('2010-01-01', null)]
    expect(byPeriod(list, '2005-01-01')).toEqual({ current: [list[1]], upcoming: [list[2]], past: [list[0]] })
  })
})
