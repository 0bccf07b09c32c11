import { deletionRoutes } from '../web/deletion.ts'
import { deleteOrganisation, restoreOrganisation } from './organisations.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const organisationDeletion = deletionRoutes({ path: '/organisations', remove: deleteOrganisation, restore: restoreOrganisation })
