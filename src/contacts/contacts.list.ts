import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId, timestampKey } from '../db/pagination.ts'
import type { Contact } from '../db/schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { filterText, manyOf, searchQuery } from '../register/list-query.ts'
import { searchFilter } from '../register/search-filter.ts'
import { CONTACT_NAMES, contactExactArms, contactTiers } from './search-names.ts'
import { csvRead, defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { currentOrganisationNames, isCurrent, withAffiliations, type ContactRecord } from './contacts.repo.ts'
import { CATEGORIES } from './contacts.schema.ts'
import { toApiContact } from './contacts.service.ts'
import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'
import { inSegments } from '../segments/segment-members.ts'
import { today } from '../register/vocabulary.ts'

const CSV_COLUMNS = [
  'id', 'first_name', 'last_name', 'email', 'phone', 'title', 'categories', 'organisations', 'influence', 'interest',
  'county', 'language', 'tags', 'theme_ids', 'notes', 'version', 'created_at', 'updated_at',
] as const
// The columns of the file that are the contact's own (`organisations` is read per chunk).
const CSV_READ = CSV_COLUMNS.filter((c) => c !== 'organisations')

/** The contact list — page, API and CSV export: its filters, orders and columns. */
export const contactList = defineList({
  path: '/contacts',
  filters: {
    q: rankedFilter(searchQuery, { ...searchFilter('contacts', CONTACT_NAMES), exactArms: contactExactArms, tiers: contactTiers }),
    category: filter(manyOf(z.enum(CATEGORIES)), (v) => sql<SqlBool>`categories && ${sql.val(v)}::text[]`),
    county: filter(manyOf(z.enum(COUNTIES)), (v) => sql<SqlBool>`county = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    tag: filter(manyOf(filterText(50)), (v) => sql<SqlBool>`tags && ${sql.val(v)}::text[]`),
    // People who work there now.
    organisation_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`exists (select 1 from affiliations a
      where a.contact_id = contacts.id and a.organisation_id = any(${sql.val(v)}::uuid[])
        and (a.end_date is null or a.end_date >= ${today()}))`),
    // Members of a saved segment (src/segments/segment-members.ts), resolved now.
    segment_id: filter(manyOf(z.uuid()), (v) => inSegments(v)),
  },
  // Each order ends in (Swedish name, id), so that equal sort values page in a fixed order.
  sorts: {
    name: nameThenId<Contact>(),
    county: [{ expr: sql`coalesce(county, '')`, of: (c: Contact) => c.county ?? '' }, ...nameThenId<Contact>()],
    updated: [timestampKey<Contact>('updated_at', (c) => c.updated_at), ...nameThenId<Contact>()],
  },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('contacts').selectAll(), q, true),
  load: withAffiliations,
  visible: (audience) => contactVisibleTo(audience as Audience),
  toApi: toApiContact,
  csv: {
    filename: 'contacts.csv',
    columns: CSV_COLUMNS,
    // The API's fields, with the names of the organisations a person works at now.
    row: (c: ContactRecord) => ({ ...toApiContact(c), organisations: c.affiliations.filter((a) => isCurrent(a)).map((a) => a.organisation_name) }),
    // The same records, read for a file: the file's columns and the orders' keys only (not the
    // search vector or the privacy fields), and the current organisations' names for a whole
    // chunk at once — not every affiliation and the last engagement, which the file has not.
    read: csvRead({
      from: (db, q) => liveOrDeleted(db.selectFrom('contacts').select([...CSV_READ, 'sort_name']), q, true),
      records: async (db, rows) => {
        const names = await currentOrganisationNames(db, rows.map((r) => r.id))
        return rows.map((r) => ({ ...r, organisations: names.get(r.id) ?? [], created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() }))
      },
    }),
  },
})

export type ContactQuery = ListQuery<typeof contactList.filters, keyof typeof contactList.sorts>
export const listContactsQuery = contactList.schema
export const pageContacts = contactList.page
