import { deletionRoutes } from '../web/deletion.ts'
import { deleteAlliance, restoreAlliance } from './alliances.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const allianceDeletion = deletionRoutes({ path: '/alliances', remove: deleteAlliance, restore: restoreAlliance })
