import { sql, type SqlBool } from 'kysely'
import { contactVisibleTo, mayShowContact } from '../privacy/visibility.ts'
import { bulkRoutes } from '../web/bulk.ts'
import { contactList } from './contacts.list.ts'
import { findContact } from './contacts.repo.ts'

export const contactsBulk = bulkRoutes({
  path: '/contacts',
  list: contactList,
  table: 'contacts',
  // Nobody the reader may not see is changed, as on the person's own page (404 there), and no
  // erased person: their record stays anonymous (a tag is free text; 409 on their own page).
  visible: (audience) => sql<SqlBool>`(${contactVisibleTo(audience)} and erased_at is null)`,
  // A file leaves the register: nobody with protected identity or restricted processing, whoever asks.
  rows: async (db, ids) => (await Promise.all(ids.map((id) => findContact(db, id)))).filter((x): x is NonNullable<typeof x> => x !== undefined && mayShowContact('export', x)),
})
