import { createHash } from 'node:crypto'
import type { ImportEntity } from '../db/schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { foldForSearch } from '../register/search-text.ts'
import { en, sv } from '../web/i18n/catalogue.ts'
import { intOf } from '../web/form.ts'

/** What a CSV column can be mapped to, per entity. `full_name` and `organisation`/`role` are the import's own. */
export const IMPORT_FIELDS = {
  organisations: ['name', 'short_name', 'kind', 'org_number', 'county', 'country', 'website', 'influence', 'interest', 'tags', 'notes'],
  contacts: [
    'first_name', 'last_name', 'full_name', 'email', 'phone', 'title', 'organisation', 'role', 'categories', 'county',
    'language', 'influence', 'interest', 'tags', 'notes',
  ],
} as const satisfies Record<ImportEntity, readonly string[]>

export type ImportField = (typeof IMPORT_FIELDS)[ImportEntity][number]

/** Mapping: column index (as a string) → field; unmapped columns are left out. `_default_kind` is an option. */
export type Mapping = Record<string, string>

// Header names as Swedish and English spreadsheets write them, folded (see fold below).
const GUESSES: Record<ImportEntity, Record<string, string[]>> = {
  organisations: {
    name: ['namn', 'name', 'organisation', 'organization', 'organisationsnamn', 'organisation name', 'organization name', 'foretag', 'myndighet'],
    short_name: ['forkortning', 'kortnamn', 'short name', 'short_name', 'abbreviation', 'akronym'],
    kind: ['typ', 'kind', 'type', 'organisationstyp', 'organisationsform', 'organisation type', 'organization type'],
    org_number: ['organisationsnummer', 'orgnr', 'org nr', 'orgnummer', 'org nummer', 'org_number', 'organisation number', 'organization number', 'corporate identity number'],
    county: ['lan', 'county'],
    country: ['land', 'country', 'landskod', 'country code'],
    website: ['webbplats', 'webb', 'hemsida', 'webbadress', 'website', 'web', 'url', 'www'],
    influence: ['inflytande', 'influence'],
    interest: ['intresse', 'interest'],
    tags: ['taggar', 'tagg', 'tags', 'etiketter', 'nyckelord', 'keywords'],
    notes: ['anteckningar', 'anteckning', 'kommentar', 'kommentarer', 'ovrigt', 'notes', 'note', 'comments'],
  },
  contacts: {
    first_name: ['fornamn', 'first name', 'firstname', 'first_name', 'given name', 'tilltalsnamn'],
    last_name: ['efternamn', 'last name', 'lastname', 'last_name', 'surname', 'family name'],
    full_name: ['namn', 'name', 'full name', 'fullstandigt namn', 'kontaktperson', 'contact', 'person'],
    email: ['e-post', 'epost', 'e-postadress', 'epostadress', 'mejl', 'mail', 'email', 'e-mail', 'email address', 'e-mail address'],
    phone: ['telefon', 'tel', 'telefonnummer', 'mobil', 'mobilnummer', 'phone', 'telephone', 'mobile', 'phone number'],
    title: ['titel', 'befattning', 'yrkestitel', 'title', 'job title', 'position'],
    organisation: ['organisation', 'organization', 'arbetsplats', 'myndighet', 'foretag', 'organisationsnummer', 'orgnr', 'employer', 'company', 'organisations', 'organizations'],
    role: ['roll', 'role', 'uppdrag'],
    categories: ['kategori', 'kategorier', 'category', 'categories'],
    county: ['lan', 'county'],
    language: ['sprak', 'language'],
    influence: ['inflytande', 'influence'],
    interest: ['intresse', 'interest'],
    tags: ['taggar', 'tagg', 'tags', 'etiketter', 'nyckelord', 'keywords'],
    notes: ['anteckningar', 'anteckning', 'kommentar', 'kommentarer', 'ovrigt', 'notes', 'note', 'comments'],
  },
}

function fold(s: string): string {
  return foldForSearch(s.replace(/[_.:]/g, ' ')).replace(/\s*-\s*/g, '-').trim()
}

/** A column's field from its header name, unless another column already took that field. */
export function guessMapping(entity: ImportEntity, headers: readonly string[]): Mapping {
  const taken = new Set<string>()
  const mapping: Mapping = {}
  headers.forEach((h, i) => {
    const f = fold(h)
    const field = Object.entries(GUESSES[entity]).find(([field, names]) => !taken.has(field) && (names.includes(f) || fold(field) === f))?.[0]
    if (field) {
      mapping[String(i)] = field
      taken.add(field)
    }
  })
  return mapping
}

/** The same set of headers in the same order gives the same key, whatever the case or spacing. */
export function headerKey(entity: ImportEntity, headers: readonly string[]): string {
  const normal = headers.map((h) => h.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ')).join('\u001f')
  return `${entity}:${createHash('sha256').update(normal).digest('hex')}`
}

/**
 * A label from the catalogue ("Myndighet", "Agency") or the code itself → the code; unknown text
 * as it is. Built on first use: the catalogue fills as the features plug in.
 */
function codeLookup(prefix: string, codes: readonly string[]): (value: string) => string {
  let byLabel: Map<string, string> | undefined
  const build = () => {
    const map = new Map<string, string>()
    for (const code of codes) {
      map.set(fold(code), code)
      for (const m of [sv, en]) {
        const label = m[`${prefix}.${code}`]
        if (!label) continue
        // "Forskning (FoU)" is also written "Forskning" or "FoU".
        for (const variant of [label, label.replace(/\s*\(.*\)/, ''), /\((.*)\)/.exec(label)?.[1]]) if (variant) map.set(fold(variant), code)
      }
    }
    return map
  }
  return (value) => (byLabel ??= build()).get(fold(value)) ?? value
}

export const kindCode = codeLookup('kind', KINDS)
const CATEGORIES = ['practitioner', 'decision_maker', 'recipient', 'stakeholder', 'researcher', 'media', 'official', 'other']
export const categoryCode = codeLookup('category', CATEGORIES)

const splitList = (s: string) => s.split(/[,;|]/).map((x) => x.trim()).filter(Boolean)

export interface RowValues {
  /** Shaped like the JSON API's input; only the fields the row has a value for. */
  values: Record<string, unknown>
  /** Contacts: the organisation (name or organisation number) and the role there. */
  organisation?: string
  role?: string
  /** Which header each field came from, to name it next to an error. */
  sources: Record<string, string>
}

/** One CSV row as the API's input: mapped, non-blank cells only (a blank cell never erases). */
export function rowValues(entity: ImportEntity, headers: readonly string[], mapping: Mapping, cells: readonly string[]): RowValues {
  const out: RowValues = { values: {}, sources: {} }
  for (const [index, field] of Object.entries(mapping)) {
    if (field.startsWith('_')) continue
    // Our own CSV exports put ' before a leading = + - @ (against spreadsheet formulas): take it off again.
    const cell = cells[Number(index)]?.trim().replace(/^'(?=[=+\-@])/, '')
    if (!cell) continue
    const header = headers[Number(index)] ?? field
    const put = (key: string, value: unknown) => {
      out.values[key] = value
      out.sources[key] = header
    }
    switch (field) {
      case 'kind':
        put('kind', kindCode(cell))
        break
      case 'tags':
        put('tags', splitList(cell))
        break
      case 'categories':
        put('categories', splitList(cell).map(categoryCode))
        break
      case 'influence':
      case 'interest':
        put(field, intOf(cell))
        break
      case 'full_name': {
        // "Anna Berg" or "Berg, Anna"; first and last name columns win when they are filled in.
        const [last, first] = cell.includes(',') ? cell.split(',', 2).map((s) => s.trim()) : [cell.split(/\s+/).pop(), cell.split(/\s+/).slice(0, -1).join(' ')]
        if (out.values.first_name === undefined && first) put('first_name', first)
        if (out.values.last_name === undefined && last) put('last_name', last)
        break
      }
      case 'organisation':
        out.organisation = cell
        out.sources['affiliations.0.organisation_id'] = header
        break
      case 'role':
        out.role = cell
        out.sources['affiliations.0.role'] = header
        break
      default:
        put(field, cell)
    }
  }
  return out
}

/** The field that must be mapped for a row to be importable. */
export function missingRequired(entity: ImportEntity, mapping: Mapping): boolean {
  const fields = new Set(Object.values(mapping))
  return entity === 'organisations' ? !fields.has('name') : !['first_name', 'last_name', 'full_name'].some((f) => fields.has(f))
}
