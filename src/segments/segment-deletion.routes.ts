import { deletionRoutes } from '../web/deletion.ts'
import { setFlash } from '../web/flash.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { deleteSegment, restoreSegment, SegmentInUseError } from './segments.service.ts'

/** Soft delete by an editor (refused while in use: the segment's page says where); restore by an admin. */
export const segmentDeletion = deletionRoutes({
  path: '/segments',
  remove: deleteSegment,
  restore: restoreSegment,
  refused: (c, id, err) => {
    if (!(err instanceof SegmentInUseError)) return undefined
    setFlash(c, 'segment.in_use')
    return redirectAfterWrite(c, `/segments/${id}`)
  },
})
