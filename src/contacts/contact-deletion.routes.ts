import { deletionRoutes } from '../web/deletion.ts'
import { deleteContact, restoreContact } from './contacts.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const contactDeletion = deletionRoutes({ path: '/contacts', remove: deleteContact, restore: restoreContact })
