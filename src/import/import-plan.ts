import type { z } from 'zod'
import { affiliationsOf, type AffiliationView } from '../contacts/contacts.repo.ts'
import { createContact as contactSchema } from '../contacts/contacts.schema.ts'
import type { Contact, ImportEntity, Organisation } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { createOrganisation as organisationSchema } from '../organisations/organisations.schema.ts'
import { normaliseOrgNumber } from '../register/org-number.ts'
import { foldForSearch } from '../register/search-text.ts'
import { isMessageKey, type Translate } from '../web/i18n.ts'
import { fieldErrors } from '../web/validate.ts'
import type { CsvTable } from './csv-read.ts'
import { rowValues, type Mapping, type RowValues } from './import-fields.ts'
import { contactsByEmail, organisationsByOrgNumber, recordsById, similarNames, type Candidate } from './import-match.ts'
import { resolveOrganisations } from './import-organisation-ref.ts'
import { mapInTurns } from './import-batches.ts'
import { currentAudience, mayShowContact } from '../privacy/visibility.ts'

/** What the user chose: for exact duplicates, for possible ones by default, and per row (by line). */
export interface Decisions {
  exact: 'update' | 'skip'
  possible: 'auto' | 'create' | 'skip'
  rows: Record<number, string>
}

export const DEFAULT_DECISIONS: Decisions = { exact: 'update', possible: 'auto', rows: {} }

export interface Target {
  id: string
  label: string
}

interface RowBase {
  line: number
  label: string
  /** Possible duplicates by name, when the row has no exact match. */
  candidates: Candidate[]
  /** The record with the same organisation number or e-mail address. */
  exact?: Target
}

export type PlanRow = RowBase & (
  | { action: 'create'; input: Record<string, unknown> }
  | { action: 'update'; target: Target; version: number; patch: Record<string, unknown>; fields: string[] }
  | { action: 'unchanged'; target: Target }
  | { action: 'skip'; target?: Target }
  | { action: 'failed'; errors: string[] }
)

type Existing = (Organisation | Contact) & { affiliations?: AffiliationView[] }

const schemas = { organisations: organisationSchema, contacts: contactSchema } as const

/** The fields of a stored record, as the API's create input, so the row can be checked on top of them. */
function asInput(entity: ImportEntity, r: Existing): Record<string, unknown> {
  const shared = { influence: r.influence, interest: r.interest, county: r.county, tags: r.tags, theme_ids: r.theme_ids, notes: r.notes }
  if (entity === 'organisations') {
    const o = r as Organisation
    return { ...shared, name: o.name, short_name: o.short_name, kind: o.kind, country: o.country, org_number: o.org_number, website: o.website, parent_id: o.parent_id }
  }
  const c = r as Contact
  return { ...shared, first_name: c.first_name, last_name: c.last_name, email: c.email, phone: c.phone, title: c.title, categories: c.categories, language: c.language, affiliations: [] }
}

function labelOf(entity: ImportEntity, record: Existing | Record<string, unknown>): string {
  const r = record as Record<string, unknown>
  if (entity === 'organisations') return String(r.name ?? '')
  return [r.first_name, r.last_name].filter(Boolean).join(' ')
}

const LISTS = new Set(['tags', 'categories', 'theme_ids'])

/** The row's fields that differ from the stored record; lists gain the row's items, nothing is removed. */
function changes(parsed: Record<string, unknown>, rowFields: string[], current: Existing): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const key of rowFields) {
    const before = (current as Record<string, unknown>)[key]
    let after = parsed[key]
    if (LISTS.has(key)) after = [...new Set([...(before as string[]), ...(after as string[])])]
    if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) patch[key] = after
  }
  return patch
}

/** What the row would change in `target`; merged by name, the record keeps its own name. */
function updateOf(entity: ImportEntity, parsed: Record<string, unknown>, fields: string[], target: Existing, byKey: boolean): Record<string, unknown> {
  const nameFields = entity === 'organisations' ? ['name'] : ['first_name', 'last_name']
  const patch = changes(parsed, fields.filter((f) => byKey || !nameFields.includes(f)), target)
  const newAffiliation = (parsed.affiliations as { organisation_id: string; role: string | null }[] | undefined)?.[0]
  if (newAffiliation && !target.affiliations?.some((a) => a.organisation_id === newAffiliation.organisation_id && !a.end_date)) {
    patch.affiliations = [
      ...(target.affiliations ?? []).map((a) => ({ id: a.id, organisation_id: a.organisation_id, role: a.role, start_date: a.start_date, end_date: a.end_date, primary: a.is_primary })),
      { ...newAffiliation, start_date: null, end_date: null, primary: false },
    ]
  }
  return patch
}

export interface PlanInput {
  entity: ImportEntity
  table: CsvTable
  mapping: Mapping
  decisions: Decisions
  t: Translate
}

/** Decides what happens to each row — the preview shows it, the run does it — from the database as it is now. */
export async function planImport(db: Executor, p: PlanInput): Promise<PlanRow[]> {
  const { entity, table, mapping, decisions, t } = p
  const rows = await mapInTurns(table.rows, (r) => ({ ...r, rv: rowValues(entity, table.headers, mapping, r.cells) }))
  const keyOf = (rv: RowValues): string | null => {
    const v = entity === 'organisations' ? rv.values.org_number : rv.values.email
    if (typeof v !== 'string') return null
    return entity === 'organisations' ? (normaliseOrgNumber(v) ?? null) : v.trim().toLowerCase()
  }
  const keys = rows.map((r) => keyOf(r.rv))
  const exact: Map<string, Existing> = entity === 'organisations'
    ? await organisationsByOrgNumber(db, keys.filter((k) => k !== null))
    : await contactsByEmail(db, keys.filter((k) => k !== null))
  const folded = rows.map((r, i) => {
    if (keys[i] && exact.has(keys[i]!)) return null
    const v = r.rv.values
    return foldForSearch(...(entity === 'organisations' ? [v.name as string] : [v.first_name as string, v.last_name as string])) || null
  })
  const candidates = await similarNames(db, entity, folded)
  const records = new Map<string, Existing>([...exact.values()].map((r) => [r.id, r]))
  for (const [id, r] of await recordsById(db, entity, candidates.flat().map((c) => c.id))) records.set(id, r)
  if (entity === 'contacts') {
    const affiliations = await affiliationsOf(db, [...records.keys()])
    for (const [id, list] of affiliations) (records.get(id) as Existing).affiliations = list
  }
  const orgRefs = entity === 'contacts' ? await resolveOrganisations(db, rows.map((r) => r.rv.organisation ?? null)) : new Map()

  const defaultKind = mapping._default_kind
  const seen = new Map<string, number>()
  const schema = schemas[entity] as z.ZodType<Record<string, unknown>>

  return mapInTurns(rows, (row, i): PlanRow => {
    const { rv, line } = row
    const base: RowBase = { line, label: labelOf(entity, rv.values), candidates: candidates[i]!, exact: undefined }
    const match = keys[i] ? exact.get(keys[i]!) : undefined
    // The e-mail address of a person the importer may not see (protected identity, restricted):
    // neither named nor changed, nor created a second time.
    if (match && entity === 'contacts' && !mayShowContact(currentAudience(), match as Contact)) {
      return { ...base, action: 'failed', errors: [t('import.hidden_match')] }
    }
    if (match) base.exact = { id: match.id, label: labelOf(entity, match) }
    const message = (path: string, text: string) => `${rv.sources[path] ?? (isMessageKey(`import.f.${path}`) ? t(`import.f.${path}` as never) : path)}: ${text}`

    // Which record, if any, the row is about. A name is no identity: two people (or two local
    // branches) share one. Only an organisation number or e-mail address picks a record by
    // default; a namesake is a suggestion the user may take, row by row.
    let target: Existing | undefined
    let namesake: Existing | undefined
    if (match) {
      if (decisions.exact === 'skip') return { ...base, action: 'skip', target: base.exact }
      target = match
    } else if (base.candidates.length) {
      const choice = decisions.rows[line] ?? decisions.possible
      const best = base.candidates[0]!
      if (choice === 'skip') return { ...base, action: 'skip' }
      const wanted = choice.startsWith('update:') ? choice.slice(7) : null
      if (wanted && base.candidates.some((c) => c.id === wanted)) target = records.get(wanted)
      else if (choice === 'auto' && best.score >= 0.999) namesake = records.get(best.id)
    }

    const key = keys[i]
    if (key) {
      const earlier = seen.get(key)
      if (earlier !== undefined) {
        const field = entity === 'organisations' ? 'org_number' : 'email'
        return { ...base, action: 'failed', errors: [message(field, t('import.duplicate_in_file', { line: earlier }))] }
      }
    }

    const input: Record<string, unknown> = target ? { ...asInput(entity, target), ...rv.values } : { ...rv.values }
    if (entity === 'organisations' && input.kind === undefined && defaultKind) input.kind = defaultKind
    if (entity === 'contacts') {
      const ref = rv.organisation ? orgRefs.get(rv.organisation) : undefined
      if (rv.organisation && !ref?.id) {
        return { ...base, action: 'failed', errors: [message('affiliations.0.organisation_id', t(ref?.ambiguous ? 'import.organisation_ambiguous' : 'import.organisation_unknown', { name: rv.organisation }))] }
      }
      input.affiliations = ref?.id ? [{ organisation_id: ref.id, role: rv.role ?? null }] : []
    }
    const parsed = schema.safeParse(input)
    if (!parsed.success) {
      return { ...base, action: 'failed', errors: Object.entries(fieldErrors(parsed.error, t)).map(([path, text]) => message(path, text)) }
    }
    if (key) seen.set(key, line)

    if (!target) {
      // The same name saying nothing new (a file imported again) is that record, left as it is;
      // a namesake with anything else to say is someone new.
      if (namesake && !Object.keys(updateOf(entity, parsed.data, Object.keys(rv.values), namesake, false)).length) {
        return { ...base, action: 'unchanged', target: { id: namesake.id, label: labelOf(entity, namesake) } }
      }
      return { ...base, action: 'create', input: parsed.data }
    }
    const targetRef = { id: target.id, label: labelOf(entity, target) }
    const patch = updateOf(entity, parsed.data, Object.keys(rv.values), target, !!match)
    const fields = Object.keys(patch)
    if (!fields.length) return { ...base, action: 'unchanged', target: targetRef }
    return { ...base, action: 'update', target: targetRef, version: target.version, patch, fields }
  })
}
