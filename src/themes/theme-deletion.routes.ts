import { deletionRoutes } from '../web/deletion.ts'
import { showTheme } from './themes.routes.ts'
import { deleteTheme, restoreTheme, ThemeHasChildrenError } from './themes.service.ts'

/** Soft delete by an editor (never of a theme with live sub-themes); restore by an admin. */
export const themeDeletion = deletionRoutes({
  path: '/themes',
  remove: deleteTheme,
  restore: restoreTheme,
  refused: (c, id, err) => (err instanceof ThemeHasChildrenError ? showTheme(c, id, c.get('t')('theme.has_children'), 409) : undefined),
})
