import { deletionRoutes } from '../web/deletion.ts'
import { deleteProject, restoreProject } from './projects.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const projectDeletion = deletionRoutes({ path: '/projects', remove: deleteProject, restore: restoreProject })
