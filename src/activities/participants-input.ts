import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { CsvReadError, decodeCsv, detectDelimiter, readCsv } from '../import/csv-read.ts'

/** An address someone typed or a registration list gave, with the name beside it when there was one. */
export interface Address {
  email: string
  name: string | null
}

export interface ReadAddresses {
  addresses: Address[]
  /** Lines with text but no e-mail address in them, as given. */
  unreadable: string[]
}

// Loose on purpose: anything shaped like local@domain.tld; whether it is someone's is for the register to say.
const EMAIL = /[^\s<>,;:"'()[\]]+@[^\s<>,;:"'()[\]]+\.[^\s<>,;:"'()[\]]+/g

/**
 * Addresses pasted from anywhere: one a line, or separated by commas or semicolons, or as an
 * e-mail program copies them ("Anna Ek <anna.ek@example.se>; …"). Each address once, whatever its case.
 */
export function readPasted(text: string): ReadAddresses {
  const seen = new Set<string>()
  const addresses: Address[] = []
  const unreadable: string[] = []
  for (const line of text.split(/\r?\n/)) {
    for (const part of line.split(/[,;]/)) {
      const found = part.match(EMAIL)
      if (!found) {
        if (part.trim() && !/^[\s<>"']*$/.test(part)) unreadable.push(part.trim())
        continue
      }
      for (const raw of found) {
        const email = raw.replace(/\.$/, '').toLowerCase()
        if (seen.has(email)) continue
        seen.add(email)
        const name = part.replace(raw, '').replace(/[<>"']/g, '').trim()
        addresses.push({ email, name: name || null })
      }
    }
  }
  return { addresses, unreadable }
}

const EMAIL_HEADER = /^(e-?post(adress)?|e-?mail( address)?|mail(adress)?)$/i
const NAME_HEADER = /^(namn|name|full name|fullständigt namn|deltagare)$/i
const FIRST_HEADER = /^(förnamn|first ?name|given name)$/i
const LAST_HEADER = /^(efternamn|last ?name|surname|family name)$/i

/**
 * A registration list exported from a form or a spreadsheet: UTF-8 or Windows-1252, comma or
 * semicolon. The e-mail column is the one headed so (E-post, E-mail …), else the one most
 * cells of which hold an address; a name column (Namn, or Förnamn and Efternamn) is optional.
 */
export function readRegistrations(bytes: Uint8Array): ReadAddresses {
  const text = decodeCsv(bytes)
  const { headers, rows } = readCsv(text, detectDelimiter(text))
  let emailCol = headers.findIndex((h) => EMAIL_HEADER.test(h))
  if (emailCol < 0) {
    const hits = headers.map((_, i) => rows.filter((r) => (r.cells[i] ?? '').includes('@')).length)
    const best = Math.max(0, ...hits)
    if (best === 0) throw new CsvReadError('no e-mail column')
    emailCol = hits.indexOf(best)
  }
  const nameCol = headers.findIndex((h) => NAME_HEADER.test(h))
  const firstCol = headers.findIndex((h) => FIRST_HEADER.test(h))
  const lastCol = headers.findIndex((h) => LAST_HEADER.test(h))
  const nameOf = (cells: string[]) =>
    ((nameCol >= 0 ? cells[nameCol] : [cells[firstCol] ?? '', cells[lastCol] ?? ''].join(' ')) ?? '').trim() || null
  const seen = new Set<string>()
  const addresses: Address[] = []
  const unreadable: string[] = []
  for (const row of rows) {
    const cell = row.cells[emailCol] ?? ''
    const found = cell.match(EMAIL)
    if (!found) {
      unreadable.push(nameOf(row.cells) ?? row.cells.filter(Boolean).join(' '))
      continue
    }
    const email = found[0].toLowerCase()
    if (seen.has(email)) continue
    seen.add(email)
    addresses.push({ email, name: nameOf(row.cells) })
  }
  return { addresses, unreadable }
}

/** The live contacts with these addresses (case-insensitive), by lower-case address. */
export async function contactsByEmail(db: Executor, emails: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < emails.length; i += 1000) {
    const batch = emails.slice(i, i + 1000)
    const rows = await db
      .selectFrom('contacts')
      .select(['id', sql<string>`lower(email)`.as('email')])
      .where(sql<boolean>`lower(email) in (${sql.join(batch)})`)
      .where('deleted_at', 'is', null)
      .execute()
    for (const r of rows) out.set(r.email, r.id)
  }
  return out
}
