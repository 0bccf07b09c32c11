import { bulkRoutes } from '../web/bulk.ts'
import { organisationList } from './organisations.list.ts'
import { findOrganisation } from './organisations.repo.ts'

export const organisationsBulk = bulkRoutes({
  path: '/organisations',
  list: organisationList,
  table: 'organisations',
  rows: async (db, ids) => (await Promise.all(ids.map((id) => findOrganisation(db, id)))).filter((o) => o !== undefined),
})
