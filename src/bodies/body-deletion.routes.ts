import { deletionRoutes } from '../web/deletion.ts'
import { deleteBody, restoreBody } from './bodies.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const bodyDeletion = deletionRoutes({ path: '/bodies', remove: deleteBody, restore: restoreBody })
