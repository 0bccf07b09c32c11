import { deletionRoutes } from '../web/deletion.ts'
import { deleteActivity, restoreActivity } from './activities.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const activityDeletion = deletionRoutes({ path: '/activities', remove: deleteActivity, restore: restoreActivity })
