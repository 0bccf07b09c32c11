/**
 * Logical backup and restore that work the same on the embedded database (PGlite) and on
 * PostgreSQL, with one file format, so a backup of one can be restored into the other.
 *
 * The file is JSON lines (gzip-compressed when its name ends in `.gz`; restore detects gzip
 * by its magic bytes):
 *
 *   {"format":"navet-backup","version":1,"created_at":…,"migrations":[…],"tables":[{"name","rows"}…]}
 *   {"table":"users","columns":[…],"rows":N}      one line per table, in foreign-key order,
 *   {…row…}                                       followed by exactly N rows (to_jsonb of the row)
 *   …
 *   {"end":true,"tables":T,"rows":R}              the trailer: a file without it is incomplete
 *
 * Rows are PostgreSQL's own `to_jsonb(row)::text` and go back in through
 * `jsonb_populate_recordset`, and are never parsed in JavaScript, so every type the server can
 * print it can read back exactly: timestamptz to the microsecond (with its offset), jsonb,
 * arrays, numeric and bigint at full precision, bytea as hex.
 *
 * The whole backup is read in one REPEATABLE READ, READ ONLY transaction: one snapshot, however
 * long it takes. `sessions` and `rate_limits` are left out: they are short-lived, a restored
 * database starts with everyone logged out.
 */
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, Migrator } from 'kysely/migration'
import { migrations } from '../migrations/index.ts'
import type { Db } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { refreshStatistics } from '../src/db/statistics.ts'

export const FORMAT = 'navet-backup'
export const FORMAT_VERSION = 1
/**
 * Tables that a backup leaves out and a restore does not count as content: short-lived ones (a
 * restore logs everyone out), the data version (src/db/data-version.ts) and the privacy version
 * (src/privacy/visibility.ts privacyState), which name cached results and are rebuilt by the
 * restore's own writes — a fresh database already holds their rows —
 * and the graph layouts cached under a data version (src/network/layout.ts): the restored
 * database counts its versions afresh, so an old layout could meet a version number it never had;
 * and the words that correct a typo (search_words), which the restore's inserts of the records
 * write again through their triggers — from the live records only, so an erasure the restore
 * re-applies leaves no name behind there either; and the marks of whose participation changed
 * (src/network/co-participation.ts), which name transactions of the database they were written in.
 */
export const EPHEMERAL_TABLES: readonly string[] = [
  'sessions', 'rate_limits', 'data_version', 'privacy_version', 'network_layout_cache', 'network_layout_claims', 'search_words',
  'participation_marks', 'participation_marks_pruned',
]
const MIGRATION_TABLES: readonly string[] = [DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]
/** Rows read per query while backing up. */
const PAGE_ROWS = 1000
/** Rows written per INSERT while restoring. */
const BATCH_ROWS = 500
/** Alias of the row variable in generated SQL: unlikely to clash with a column name. */
const ROW = 'navet_backup_row'

/** A refusal or a problem with the file, told to the user as it is (no stack trace needed). */
export class BackupError extends Error {}

export interface BackupHeader {
  format: typeof FORMAT
  version: number
  created_at: string
  server_version: string
  migrations: string[]
  tables: { name: string; rows: number }[]
}

interface SectionHeader {
  table: string
  columns: string[]
  rows: number
}

interface Trailer {
  end: true
  tables: number
  rows: number
}

export interface BackupSummary {
  file: string
  migrations: string[]
  tables: { name: string; rows: number }[]
  rows: number
  bytes: number
}

export interface RestoreSummary {
  file: string
  migrations: string[]
  tables: { name: string; rows: number }[]
  rows: number
  /** Migrations run after loading, when the backup was made by an older version. */
  migratedAfterLoad: string[]
}

type Executor = Kysely<any> | Transaction<any>

// ---------------------------------------------------------------------------------------------
// The catalog: tables, columns, keys, foreign keys of the current schema, read the same way on
// both engines.

interface ForeignKey {
  name: string
  columns: string[]
  references: string
  deferrable: boolean
}

interface TableInfo {
  name: string
  /** Every column, in table order. */
  columns: string[]
  /** Columns an INSERT may name (not GENERATED … STORED). */
  insertable: string[]
  notNull: Set<string>
  primaryKey: string[]
  /** Has a GENERATED ALWAYS AS IDENTITY column: inserts need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean
  /** Columns backed by a sequence (serial or identity), with the sequence's name. */
  sequences: { column: string; sequence: string }[]
  foreignKeys: ForeignKey[]
}

async function rows<T>(db: Executor, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows
}

async function readCatalog(db: Executor): Promise<Map<string, TableInfo>> {
  const tables = new Map<string, TableInfo>()
  const tableRows = await rows(
    db,
    sql<{ name: string }>`
      select table_name::text as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
      order by table_name`,
  )
  for (const { name } of tableRows) {
    if (MIGRATION_TABLES.includes(name)) continue
    tables.set(name, {
      name,
      columns: [],
      insertable: [],
      notNull: new Set(),
      primaryKey: [],
      identityAlways: false,
      sequences: [],
      foreignKeys: [],
    })
  }
  const columnRows = await rows(
    db,
    sql<{ table: string; column: string; generated: string; identity: string | null; nullable: string; sequence: string | null }>`
      select table_name::text as table, column_name::text as column, is_generated::text as generated,
             identity_generation::text as identity, is_nullable::text as nullable,
             pg_get_serial_sequence(quote_ident(table_name::text), column_name::text) as sequence
      from information_schema.columns
      where table_schema = current_schema()
      order by table_name, ordinal_position`,
  )
  for (const c of columnRows) {
    const t = tables.get(c.table)
    if (!t) continue
    t.columns.push(c.column)
    if (c.generated !== 'ALWAYS') t.insertable.push(c.column)
    if (c.nullable === 'NO') t.notNull.add(c.column)
    if (c.identity === 'ALWAYS') t.identityAlways = true
    if (c.sequence) t.sequences.push({ column: c.column, sequence: c.sequence })
  }
  const keyRows = await rows(
    db,
    sql<{ table: string; column: string }>`
      select tc.table_name::text as table, kcu.column_name::text as column
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name
       and kcu.table_name = tc.table_name
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
      order by tc.table_name, kcu.ordinal_position`,
  )
  for (const k of keyRows) tables.get(k.table)?.primaryKey.push(k.column)
  const fkRows = await rows(
    db,
    sql<{ name: string; table: string; references: string; column: string; deferrable: boolean }>`
      select con.conname::text as name, child.relname::text as table, parent.relname::text as references,
             att.attname::text as column, con.condeferrable as deferrable
      from pg_constraint con
      join pg_class child on child.oid = con.conrelid
      join pg_class parent on parent.oid = con.confrelid
      join pg_namespace ns on ns.oid = child.relnamespace
      cross join lateral unnest(con.conkey) with ordinality as key(attnum, position)
      join pg_attribute att on att.attrelid = con.conrelid and att.attnum = key.attnum
      where con.contype = 'f' and ns.nspname = current_schema()
      order by child.relname, con.conname, key.position`,
  )
  for (const f of fkRows) {
    const t = tables.get(f.table)
    if (!t) continue
    let fk = t.foreignKeys.find((x) => x.name === f.name)
    if (!fk) {
      fk = { name: f.name, columns: [], references: f.references, deferrable: f.deferrable }
      t.foreignKeys.push(fk)
    }
    fk.columns.push(f.column)
  }
  return tables
}

/** Referenced tables before the tables that reference them (ties and cycles broken by name). */
function foreignKeyOrder(tables: TableInfo[]): TableInfo[] {
  const remaining = new Map(tables.map((t) => [t.name, t]))
  const ordered: TableInfo[] = []
  while (remaining.size > 0) {
    const candidates = [...remaining.values()].sort((a, b) => a.name.localeCompare(b.name))
    const ready = candidates.find((t) =>
      t.foreignKeys.every((fk) => fk.references === t.name || !remaining.has(fk.references)),
    )
    // A cycle: take the first by name; restore fills its forward references in afterwards.
    const next = ready ?? candidates[0]!
    ordered.push(next)
    remaining.delete(next.name)
  }
  return ordered
}

async function appliedMigrations(db: Executor): Promise<string[] | undefined> {
  const exists = await rows(db, sql<{ ok: boolean }>`select to_regclass(${DEFAULT_MIGRATION_TABLE}) is not null as ok`)
  if (!exists[0]?.ok) return undefined
  const applied = await rows(db, sql<{ name: string }>`select name from ${sql.id(DEFAULT_MIGRATION_TABLE)} order by name`)
  return applied.map((r) => r.name)
}

async function countRows(db: Executor, table: string): Promise<number> {
  const [r] = await rows(db, sql<{ n: number }>`select count(*)::int as n from ${sql.id(table)}`)
  return r?.n ?? 0
}

const ids = (names: string[], qualifier?: string) =>
  sql.join(names.map((n) => (qualifier ? sql.id(qualifier, n) : sql.id(n))))

// ---------------------------------------------------------------------------------------------
// Backup

/** One table's rows as JSON text, page by page along its primary key (or ctid without one). */
async function* tableRows(db: Executor, table: TableInfo): AsyncGenerator<string> {
  const t = sql.id(table.name)
  // Generated columns are computed again on insert: leave them out of the file.
  const generated = table.columns.filter((c) => !table.insertable.includes(c))
  const json = sql.join([sql`to_jsonb(${sql.id(ROW)})`, ...generated.map((c) => sql`${c}::text`)], sql` - `)
  const row = sql.id(ROW)
  if (table.primaryKey.length > 0) {
    const key = ids(table.primaryKey, ROW)
    let last: string | undefined
    for (;;) {
      const after =
        last === undefined
          ? sql``
          : sql`where (${key}) > (select ${ids(table.primaryKey, 'k')} from jsonb_populate_record(null::${t}, ${last}::jsonb) as k)`
      const page = await rows(
        db,
        sql<{ j: string }>`select (${json})::text as j from ${t} as ${row} ${after} order by ${key} limit ${PAGE_ROWS}`,
      )
      for (const r of page) yield r.j
      if (page.length < PAGE_ROWS) return
      last = page[page.length - 1]!.j
    }
  }
  let last = '(0,0)'
  for (;;) {
    const page = await rows(
      db,
      sql<{ j: string; k: string }>`
        select (${json})::text as j, ${sql.id(ROW, 'ctid')}::text as k from ${t} as ${row}
        where ${sql.id(ROW, 'ctid')} > ${last}::tid order by ${sql.id(ROW, 'ctid')} limit ${PAGE_ROWS}`,
    )
    for (const r of page) yield r.j
    if (page.length < PAGE_ROWS) return
    last = page[page.length - 1]!.k
  }
}

/**
 * Writes a consistent backup of `db` to `file` (gzip when it ends in `.gz`). The file appears
 * only when complete (written beside it first, then renamed), readable by its owner alone: it
 * holds personal data and password hashes.
 */
export async function backupDatabase(db: Db, file: string): Promise<BackupSummary> {
  const target = path.resolve(file)
  const partial = `${target}.partial`
  const gzip = target.endsWith('.gz')
  let summary: BackupSummary | undefined
  try {
    await db.transaction().execute(async (tx) => {
      // First statement of the transaction: one snapshot for everything below, nothing written.
      await sql`set transaction isolation level repeatable read, read only`.execute(tx)
      const applied = await appliedMigrations(tx)
      if (!applied || applied.length === 0) {
        throw new BackupError('This database has no Navet schema (no migration has run): there is nothing to back up.')
      }
      const catalog = await readCatalog(tx)
      const tables = foreignKeyOrder([...catalog.values()].filter((t) => !EPHEMERAL_TABLES.includes(t.name)))
      const counts = new Map<string, number>()
      for (const t of tables) counts.set(t.name, await countRows(tx, t.name))
      const [version] = await rows(tx, sql<{ v: string }>`select current_setting('server_version') as v`)
      const header: BackupHeader = {
        format: FORMAT,
        version: FORMAT_VERSION,
        created_at: new Date().toISOString(),
        server_version: version?.v ?? 'unknown',
        migrations: applied,
        tables: tables.map((t) => ({ name: t.name, rows: counts.get(t.name)! })),
      }
      let total = 0
      async function* lines(): AsyncGenerator<string> {
        yield JSON.stringify(header) + '\n'
        for (const t of tables) {
          const section: SectionHeader = { table: t.name, columns: t.insertable, rows: counts.get(t.name)! }
          yield JSON.stringify(section) + '\n'
          let n = 0
          let chunk: string[] = []
          for await (const r of tableRows(tx, t)) {
            chunk.push(r)
            n++
            if (chunk.length >= PAGE_ROWS) {
              yield chunk.join('\n') + '\n'
              chunk = []
            }
          }
          if (chunk.length > 0) yield chunk.join('\n') + '\n'
          // Inside one snapshot the count cannot change; if it did, the file would be wrong.
          if (n !== section.rows) throw new Error(`${t.name}: counted ${section.rows} rows but read ${n}`)
          total += n
        }
        const trailer: Trailer = { end: true, tables: tables.length, rows: total }
        yield JSON.stringify(trailer) + '\n'
      }
      const out = fs.createWriteStream(partial, { mode: 0o600 })
      if (gzip) await pipeline(Readable.from(lines()), zlib.createGzip(), out)
      else await pipeline(Readable.from(lines()), out)
      summary = { file: target, migrations: applied, tables: header.tables, rows: total, bytes: 0 }
    })
    const fh = await fs.promises.open(partial, 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    await fs.promises.rename(partial, target)
    summary!.bytes = (await fs.promises.stat(target)).size
    return summary!
  } catch (err) {
    await fs.promises.rm(partial, { force: true })
    throw err
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a backup file

type Entry =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'section'; section: SectionHeader }
  | { kind: 'row'; json: string }
  | { kind: 'end'; trailer: Trailer }

async function isGzip(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r')
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await fh.close()
  }
}

function parseLine<T>(line: string, lineNo: number, what: string): T {
  try {
    return JSON.parse(line) as T
  } catch {
    throw new BackupError(`Line ${lineNo} of the backup file is not valid JSON (expected ${what}).`)
  }
}

function checkHeader(h: BackupHeader | undefined): BackupHeader {
  if (!h || h.format !== FORMAT || !Array.isArray(h.migrations) || !Array.isArray(h.tables)) {
    throw new BackupError('This is not a Navet backup file.')
  }
  if (h.version !== FORMAT_VERSION) {
    throw new BackupError(`This backup has format version ${h.version}; this version of Navet reads version ${FORMAT_VERSION}.`)
  }
  return h
}

/** Every line of a backup, checked for structure as it goes; throws if the file is incomplete. */
async function* readBackup(file: string): AsyncGenerator<Entry> {
  const source = fs.createReadStream(file)
  let input: NodeJS.ReadableStream = source
  if (await isGzip(file)) {
    const gunzip = zlib.createGunzip()
    source.on('error', (err) => gunzip.destroy(err))
    input = source.pipe(gunzip)
  }
  const lines = readline.createInterface({ input, crlfDelay: Infinity })
  let lineNo = 0
  let header: BackupHeader | undefined
  let sectionIndex = 0
  let rowsLeft = 0
  let total = 0
  let ended = false
  try {
    for await (const line of lines) {
      lineNo++
      if (ended) {
        if (line.trim() === '') continue
        throw new BackupError(`The backup file has data after its end marker (line ${lineNo}).`)
      }
      if (!header) {
        header = checkHeader(parseLine<BackupHeader>(line, lineNo, 'the header'))
        yield { kind: 'header', header }
        continue
      }
      if (rowsLeft > 0) {
        if (!line.startsWith('{') || !line.endsWith('}')) throw new BackupError(`Line ${lineNo} of the backup file is not a row.`)
        rowsLeft--
        total++
        yield { kind: 'row', json: line }
        continue
      }
      const entry = parseLine<Partial<SectionHeader & Trailer>>(line, lineNo, 'a table header')
      if (entry.end === true) {
        if (sectionIndex !== header.tables.length || entry.rows !== total) {
          throw new BackupError('The backup file does not add up (its end marker disagrees with its contents).')
        }
        ended = true
        yield { kind: 'end', trailer: entry as Trailer }
        continue
      }
      const expected = header.tables[sectionIndex]
      if (!expected || entry.table !== expected.name || entry.rows !== expected.rows || !Array.isArray(entry.columns)) {
        throw new BackupError(`Line ${lineNo} of the backup file: expected the start of table ${expected?.name ?? '(none)'}.`)
      }
      sectionIndex++
      rowsLeft = expected.rows
      yield { kind: 'section', section: entry as SectionHeader }
    }
  } catch (err) {
    if (err instanceof BackupError) throw err
    throw new BackupError(`Could not read the backup file: ${(err as Error).message}`)
  } finally {
    lines.close()
    source.destroy()
  }
  if (!ended) throw new BackupError('The backup file is incomplete (it ends before its end marker): it may have been cut short.')
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const entry of readBackup(file)) {
    if (entry.kind === 'header') return entry.header
  }
  throw new BackupError('The backup file is empty.')
}

// ---------------------------------------------------------------------------------------------
// Restore

async function nonEmptyTables(db: Executor, tables: Iterable<string>): Promise<string[]> {
  const found: string[] = []
  for (const t of tables) {
    const n = await countRows(db, t)
    if (n > 0) found.push(`${t} (${n} rows)`)
  }
  return found
}

function notEmptyError(found: string[]): BackupError {
  return new BackupError(
    `The target database is not empty: ${found.join(', ')}. A backup is restored only into an empty ` +
      'database: point DATA_DIR at a new directory, or DATABASE_URL at a new, empty PostgreSQL database. Nothing was changed.',
  )
}

/** Tables whose rows count as content: all but the migration bookkeeping and the ephemeral ones. */
function contentTables(catalog: Map<string, TableInfo>): string[] {
  return [...catalog.keys()].filter((t) => !EPHEMERAL_TABLES.includes(t))
}

async function insertBatch(tx: Executor, table: TableInfo, columns: string[], batch: string[]): Promise<void> {
  const overriding = table.identityAlways ? sql`overriding system value` : sql``
  await sql`
    insert into ${sql.id(table.name)} (${ids(columns)}) ${overriding}
    select ${ids(columns, 'r')} from jsonb_populate_recordset(null::${sql.id(table.name)}, ${'[' + batch.join(',') + ']'}::jsonb) as r`.execute(tx)
}

async function updateBatch(tx: Executor, table: TableInfo, columns: string[], batch: string[]): Promise<void> {
  const t = sql.id(table.name)
  const set = sql.join(columns.map((c) => sql`${sql.id(c)} = ${sql.id('r', c)}`))
  const match = sql.join(
    table.primaryKey.map((k) => sql`${sql.id(table.name, k)} = ${sql.id('r', k)}`),
    sql` and `,
  )
  await sql`
    update ${t} set ${set}
    from jsonb_populate_recordset(null::${t}, ${'[' + batch.join(',') + ']'}::jsonb) as r
    where ${match}`.execute(tx)
}

/**
 * Loads a backup into an empty database (either engine): brings the schema to the backup's
 * migration, inserts every row in one transaction, then migrates to this version's latest.
 * Refuses, changing nothing, when the target has content or the backup is from a newer version.
 */
export async function restoreDatabase(db: Db, file: string): Promise<RestoreSummary> {
  const source = path.resolve(file)
  if (!fs.existsSync(source)) throw new BackupError(`No such file: ${source}`)
  const header = await readBackupHeader(source)

  // The backup's schema must be one this code knows: a prefix of its migrations.
  const known = Object.keys(migrations).sort()
  const unknown = header.migrations.filter((m) => !known.includes(m))
  if (unknown.length > 0) {
    throw new BackupError(
      `The backup was made by a newer version of Navet (migrations unknown here: ${unknown.join(', ')}). ` +
        'Install that version or a later one, then restore.',
    )
  }
  const backupLevel = header.migrations[header.migrations.length - 1]
  if (!backupLevel || header.migrations.some((m, i) => known[i] !== m)) {
    throw new BackupError('The backup\'s migrations do not match this version\'s migration history.')
  }

  // Refuse before changing anything.
  const before = await readCatalog(db)
  const found = await nonEmptyTables(db, contentTables(before))
  if (found.length > 0) throw notEmptyError(found)

  // The schema the rows were taken from (an empty database may be moved back as well as forward).
  const applied = (await appliedMigrations(db)) ?? []
  if (applied.join('\n') !== header.migrations.join('\n')) {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    const result = await migrator.migrateTo(backupLevel)
    if (result.error) throw result.error
  }

  const loaded = new Map<string, number>()
  await db.transaction().execute(async (tx) => {
    await sql`set constraints all deferred`.execute(tx)
    const catalog = await readCatalog(tx)
    const content = contentTables(catalog)
    if (content.length > 0) await sql`lock table ${ids(content)} in exclusive mode`.execute(tx)
    const foundNow = await nonEmptyTables(tx, content)
    if (foundNow.length > 0) throw notEmptyError(foundNow)

    const order = header.tables.map((t) => t.name)
    const position = new Map(order.map((name, i) => [name, i]))
    const plans = new Map<string, { table: TableInfo; insert: string[]; later: string[] }>()
    for (const entry of header.tables) {
      const table = catalog.get(entry.name)
      if (!table) throw new BackupError(`The backup has table ${entry.name}, which this database does not have.`)
      // Foreign keys to a table loaded at the same time or later (self references, cycles) are
      // filled in once every row is in, unless the constraint can simply be deferred.
      const later = new Set<string>()
      for (const fk of table.foreignKeys) {
        const at = position.get(fk.references)
        if (fk.deferrable || at === undefined || at < position.get(table.name)!) continue
        for (const c of fk.columns) later.add(c)
      }
      if (later.size > 0 && table.primaryKey.length === 0) {
        throw new BackupError(`Cannot restore ${table.name}: it references itself or a later table but has no primary key.`)
      }
      for (const c of later) {
        if (table.notNull.has(c)) {
          throw new BackupError(`Cannot restore ${table.name}.${c}: a NOT NULL, non-deferrable foreign key in a cycle.`)
        }
      }
      plans.set(table.name, { table, insert: [], later: [...later] })
    }

    let current: { table: TableInfo; insert: string[]; later: string[] } | undefined
    let batch: string[] = []
    const flush = async () => {
      if (current && batch.length > 0) await insertBatch(tx, current.table, current.insert, batch)
      batch = []
    }
    for await (const entry of readBackup(source)) {
      if (entry.kind === 'section') {
        await flush()
        current = plans.get(entry.section.table)!
        const missing = entry.section.columns.filter((c) => !current!.table.columns.includes(c))
        if (missing.length > 0) {
          throw new BackupError(`Table ${entry.section.table} here has no column ${missing.join(', ')}: the schemas differ.`)
        }
        const insertable = new Set(current.table.insertable)
        current.insert = entry.section.columns.filter((c) => insertable.has(c) && !current!.later.includes(c))
        loaded.set(entry.section.table, 0)
      } else if (entry.kind === 'row') {
        batch.push(entry.json)
        loaded.set(current!.table.name, loaded.get(current!.table.name)! + 1)
        if (batch.length >= BATCH_ROWS) await flush()
      } else if (entry.kind === 'end') {
        await flush()
      }
    }

    // Second pass for forward references, now that every row they may point to exists.
    const deferred = [...plans.values()].filter((p) => p.later.length > 0)
    if (deferred.length > 0) {
      current = undefined
      for await (const entry of readBackup(source)) {
        if (entry.kind === 'section' || entry.kind === 'end') {
          if (current && batch.length > 0) await updateBatch(tx, current.table, current.later, batch)
          batch = []
          current = entry.kind === 'section' ? plans.get(entry.section.table) : undefined
          if (current && current.later.length === 0) current = undefined
        } else if (entry.kind === 'row' && current) {
          batch.push(entry.json)
          if (batch.length >= BATCH_ROWS) {
            await updateBatch(tx, current.table, current.later, batch)
            batch = []
          }
        }
      }
    }

    // Sequences (serial, identity) continue after the highest restored value.
    for (const { table } of plans.values()) {
      for (const s of table.sequences) {
        await sql`select setval(${s.sequence}::regclass, (select max(${sql.id(s.column)}) from ${sql.id(table.name)}))`.execute(tx)
      }
    }
  })

  const after = await migrateToLatest(db)
  // Every table was just filled: the planner's statistics for all of them (src/db/statistics.ts).
  await refreshStatistics(db)
  const tables = header.tables.map((t) => ({ name: t.name, rows: loaded.get(t.name) ?? 0 }))
  return {
    file: source,
    migrations: header.migrations,
    tables,
    rows: tables.reduce((n, t) => n + t.rows, 0),
    migratedAfterLoad: (after.results ?? []).map((r) => r.migrationName),
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by the command-line scripts

/** `npm run` starts scripts in the package folder; a relative FILE means the caller's folder. */
export function resolveFromCaller(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file)
}

export function formatSummary(tables: { name: string; rows: number }[]): string {
  return tables.map((t) => `  ${t.name}: ${t.rows} rows`).join('\n')
}
