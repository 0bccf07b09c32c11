import { deletionRoutes } from '../web/deletion.ts'
import { deleteProduct, restoreProduct } from './products.service.ts'

/** Soft delete by an editor; restore from the "Deleted" view by an admin. */
export const productDeletion = deletionRoutes({ path: '/products', remove: deleteProduct, restore: restoreProduct })
