/** Sweden's 21 counties (län), as Statistics Sweden names them. */
export const COUNTIES = [
  'Blekinge län',
  'Dalarnas län',
  'Gotlands län',
  'Gävleborgs län',
  'Hallands län',
  'Jämtlands län',
  'Jönköpings län',
  'Kalmar län',
  'Kronobergs län',
  'Norrbottens län',
  'Skåne län',
  'Stockholms län',
  'Södermanlands län',
  'Uppsala län',
  'Värmlands län',
  'Västerbottens län',
  'Västernorrlands län',
  'Västmanlands län',
  'Västra Götalands län',
  'Örebro län',
  'Östergötlands län',
] as const

export type County = (typeof COUNTIES)[number]

const byFolded = new Map(COUNTIES.map((c) => [fold(c), c]))

function fold(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** "jönköpings län", "Jönköpings" or "Jönköping" → "Jönköpings län"; unknown → undefined. */
export function normaliseCounty(input: string): County | undefined {
  const f = fold(input)
  return byFolded.get(f) ?? byFolded.get(`${f} län`) ?? byFolded.get(`${f}s län`)
}
