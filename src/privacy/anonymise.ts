import { sql } from 'kysely'
import { audit, type Actor, type Executor } from '../db/write.ts'
import { foldForSearch } from '../register/search-text.ts'

export const ERASED = '[raderad]'

/** Audit fields that say nothing about who the person is: kept for statistics and history. */
const SAFE_AUDIT_FIELDS = new Set([
  'categories', 'county', 'influence', 'interest', 'theme_ids', 'deleted_at', 'lawful_basis', 'protected_identity', 'restricted',
  'merged_into_id', 'erased_at', 'consent', 'consent_withdrawn', 'mode', 'decision_id',
])

/** Other people's identifying columns: a namesake keeps their name. */
const LEFT_ALONE: Record<string, Set<string>> = {
  contacts: new Set(['first_name', 'last_name', 'email', 'phone', 'sort_name', 'search_text']),
}
/** Tables that hold no one's free text about a contact (staff accounts, bookkeeping). */
const SKIPPED_TABLES = new Set(['users', 'sessions', 'rate_limits', 'kysely_migration', 'kysely_migration_lock'])

interface Person {
  id: string
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const SEP = '[[:space:]().-]*'

/** A pattern for a phone number however it was typed: +46 70-174 06 51, 070 174 06 51, 0046701740651. */
function phonePattern(e164: string): string {
  const digits = e164.replace(/\D/g, '')
  const spaced = (d: string) => d.split('').join(SEP)
  const alternatives = [`\\+?${spaced(digits)}`, `00${SEP}${spaced(digits)}`]
  if (digits.startsWith('46')) alternatives.push(`0${SEP}${spaced(digits.slice(2))}`)
  return alternatives.join('|')
}

/** Everything that names the person on its own: full name both ways round, e-mail, phone. */
function needles(people: Person[]): string {
  const parts = new Set<string>()
  const add = (s: string | null | undefined) => {
    if (!s || s.trim().length < 3) return
    // A space matches any run of spaces: "Anna  Berg" typed with two, or a line break between the
    // names, named her too (the searched text, whose spaces are single, lost it; the title kept it).
    for (const v of [s, s.toLowerCase(), s.toUpperCase(), foldForSearch(s), JSON.stringify(s).slice(1, -1)]) parts.add(escapeRe(v).replace(/ +/g, '\\s+'))
  }
  for (const p of people) {
    const [f, l] = [p.first_name?.trim(), p.last_name?.trim()]
    if (f && l) {
      add(`${f} ${l}`)
      add(`${l} ${f}`)
      add(`${l}, ${f}`)
    } else add(f ?? l)
    add(p.email)
  }
  const phones = people.flatMap((p) => (p.phone ? [phonePattern(p.phone)] : []))
  return [...parts, ...phones].join('|')
}

/** The name words alone, for text that is about the person anyway (their interactions). */
function nameWords(people: Person[]): string {
  const words = new Set<string>()
  for (const p of people) {
    for (const n of [p.first_name, p.last_name]) {
      for (const w of (n ?? '').split(/\s+/)) if (w.length >= 2) words.add(escapeRe(w))
    }
  }
  return words.size ? `\\m(${[...words].join('|')})\\M` : ''
}

async function scrubColumns(tx: Executor, pattern: string): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; kind: string }>`
    select c.table_name::text as table, c.column_name::text as column,
      case when c.data_type in ('json', 'jsonb') then c.data_type when c.data_type = 'ARRAY' then 'array' else 'text' end as kind
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.is_generated <> 'ALWAYS'
      and (c.data_type in ('text', 'character varying', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar'))
    order by 1, 2`.execute(tx)
  for (const { table, column, kind } of rows) {
    if (SKIPPED_TABLES.has(table)) continue
    const col = sql.id(column)
    const replaced = sql`regexp_replace(${col}::text, ${pattern}, ${ERASED}, 'gi')`
    const value = kind === 'text' ? replaced : kind === 'array' ? sql`${replaced}::text[]` : sql`${replaced}::${sql.raw(kind)}`
    // The erased rows' own identifying columns are emptied afterwards; other people's stay.
    if (LEFT_ALONE[table]?.has(column)) continue
    await sql`update ${sql.id(table)} set ${col} = ${value} where ${col}::text ~* ${pattern}`.execute(tx)
  }
}

/** Import files and their reports: the rows about the person go, whatever columns split the name. */
async function scrubImports(tx: Executor, people: Person[], pattern: string): Promise<void> {
  const re = new RegExp(pattern.replace(/\[\[:space:\]\(\)\.-\]\*/g, '[\\s().-]*').replace(/\\m|\\M/g, ''), 'i')
  const about = (text: string) =>
    re.test(text) || people.some((p) => p.first_name && p.last_name && text.toLowerCase().includes(p.first_name.toLowerCase()) && text.toLowerCase().includes(p.last_name.toLowerCase()))
  const lastNames = people.flatMap((p) => [p.last_name, p.first_name, p.email]).filter((s): s is string => !!s && s.length >= 2)
  if (!lastNames.length) return
  const any = lastNames.map(escapeRe).join('|')
  // An uploaded file is stored in pieces that end at a line break (src/import/upload-store.ts): line by line, piece by piece.
  const pieces = await sql<{ upload_id: string; seq: number; content: string }>`select upload_id, seq, content from import_upload_chunks where content ~* ${any}`.execute(tx)
  for (const u of pieces.rows) {
    const kept = u.content.split(/\r?\n/).filter((line) => !about(line)).join('\n')
    if (kept !== u.content) await tx.updateTable('import_upload_chunks').set({ content: kept }).where('upload_id', '=', u.upload_id).where('seq', '=', u.seq).execute()
  }
  const reports = await sql<{ id: string; failed_rows: { cells: string[] }[] }>`select id, failed_rows from import_reports where failed_rows::text ~* ${any}`.execute(tx)
  for (const r of reports.rows) {
    const kept = r.failed_rows.filter((row) => !about(row.cells.join(' ')))
    if (kept.length !== r.failed_rows.length) await tx.updateTable('import_reports').set({ failed_rows: JSON.stringify(kept) }).where('id', '=', r.id).execute()
  }
}

/** Their own audit rows keep which fields changed and when, never the personal values. */
async function scrubOwnAudit(tx: Executor, ids: string[]): Promise<void> {
  const rows = await tx.selectFrom('audit_log').select(['id', 'changes']).where('entity_type', '=', 'contact').where('entity_id', 'in', ids).execute()
  for (const r of rows) {
    const changes = Object.fromEntries(
      Object.entries(r.changes).map(([k, [a, b]]) => [k, SAFE_AUDIT_FIELDS.has(k) ? [a, b] : [a == null ? null : ERASED, b == null ? null : ERASED]]),
    )
    await tx.updateTable('audit_log').set({ changes: JSON.stringify(changes) }).where('id', '=', r.id).execute()
  }
}

/**
 * Removes the person's name, e-mail, phone, notes and free text from every table — the audit
 * log, interaction summaries, search text and import uploads included — keeping an anonymous
 * node (categories, county, links) for statistics. Writes one audit row saying an erasure
 * happened, by whom and under which decision, never who. Must run inside a transaction.
 */
export async function anonymiseContact(tx: Executor, contactId: string, decisionId: string | null, actor: Actor): Promise<void> {
  // Lets this transaction, and only it, rewrite audit rows (the trigger refuses everyone else).
  await sql`select set_config('navet.erasing', 'on', true)`.execute(tx)
  const people = (await tx.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'email', 'phone'])
    .where((eb) => eb.or([eb('id', '=', contactId), eb('merged_into_id', '=', contactId)])).execute()) as Person[]
  const ids = people.map((p) => p.id)
  const pattern = needles(people)
  const words = nameWords(people)

  if (words) {
    const linked = sql`select interaction_id from interaction_links where contact_id = any(${ids}::uuid[])`
    await sql`update interactions set summary = regexp_replace(summary, ${words}, ${ERASED}, 'gi') where id in (${linked}) and summary ~* ${words}`.execute(tx)
    await sql`update interactions set follow_up_note = regexp_replace(follow_up_note, ${words}, ${ERASED}, 'gi') where id in (${linked}) and follow_up_note ~* ${words}`.execute(tx)
    await sql`update audit_log set changes = regexp_replace(changes::text, ${words}, ${ERASED}, 'gi')::jsonb
      where entity_type = 'interaction' and entity_id in (${linked}) and changes::text ~* ${words}`.execute(tx)
  }
  if (pattern) {
    await scrubImports(tx, people, pattern)
    await scrubColumns(tx, pattern)
  }
  await scrubOwnAudit(tx, ids)
  await tx.updateTable('affiliations').set({ role: null }).where('contact_id', 'in', ids).execute()
  // Answers given when registering for an event (dietary needs can be health data) go with the person.
  await tx.updateTable('event_registrations').set({ answers: '{}' }).where('contact_id', 'in', ids).execute()
  // Links e-mailed to them (confirm a subscription, unsubscribe) end: a confirmation after this
  // would record a consent for an anonymous record.
  await tx.updateTable('mail_tokens').set({ expires_at: sql`least(expires_at, now())` }).where('contact_id', 'in', ids).where('used_at', 'is', null).execute()
  await tx.updateTable('contacts')
    .set({
      first_name: null, last_name: null, email: null, phone: null, title: null, notes: null, language: null, tags: [], lawful_basis_note: null,
      sort_name: '', search_text: '', protected_identity: false, restricted: false, erased_at: sql`coalesce(erased_at, now())`,
      version: sql`version + 1`, updated_at: sql`now()`,
    })
    .where('id', 'in', ids)
    .execute()
  await audit(tx, actor, 'contact', contactId, 'erase', { mode: [null, 'anonymise'], decision_id: [null, decisionId] })
}
