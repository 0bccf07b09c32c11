import { bulkRoutes } from '../web/bulk.ts'
import { organisationList } from './organisations.list.ts'
import { findOrganisation } from './organisations.repo.ts'
import { bulkAdd } from './organisations.service.ts'

export const organisationsBulk = bulkRoutes({
  path: '/organisations',
  list: organisationList,
  add: bulkAdd,
  rows: async (db, ids) => (await Promise.all(ids.map((id) => findOrganisation(db, id)))).filter((o) => o !== undefined),
})
