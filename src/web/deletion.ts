import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Actor, Executor } from '../db/write.ts'
import { setFlash } from './flash.ts'
import { formFields } from './form.ts'
import { redirectAfterWrite } from './htmx.ts'
import type { Translate } from './i18n.ts'
import { idParam } from './validate.ts'

export interface DeletionSpec {
  /** The list the record leaves, e.g. `/contacts`; the record's page is `<path>/<id>`. */
  path: string
  remove: (db: Executor, id: string, actor: Actor, version?: number) => Promise<unknown>
  restore: (db: Executor, id: string, actor: Actor, t: Translate) => Promise<{ id: string }>
  /** A refusal the record's page answers itself (a theme with live sub-themes); undefined rethrows. */
  refused?: (c: Context<AppEnv>, id: string, err: unknown) => Response | Promise<Response> | undefined
}

/**
 * `POST <path>/:id/delete` (editor; soft, version-checked when the form sends `version`) and
 * `POST <path>/:id/restore` (admin, from the deleted view) for one kind of record:
 *
 *   export const contactDeletion = deletionRoutes({ path: '/contacts', remove: deleteContact, restore: restoreContact })
 */
export function deletionRoutes(spec: DeletionSpec) {
  const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })
  return new Hono<AppEnv>()
    .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
      const { version } = await formFields(c)
      const id = c.req.param('id')
      try {
        await spec.remove(c.get('db'), id, actor(c), version ? Number(version) : undefined)
      } catch (err) {
        const answer = spec.refused?.(c, id, err)
        if (answer) return answer
        throw err
      }
      setFlash(c, 'record.deleted')
      return redirectAfterWrite(c, spec.path)
    })
    .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
      const record = await spec.restore(c.get('db'), c.req.param('id'), actor(c), c.get('t'))
      setFlash(c, 'record.restored')
      return redirectAfterWrite(c, `${spec.path}/${record.id}`)
    })
}
