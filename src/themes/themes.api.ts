import { listApi } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { themeList } from './themes.list.ts'
import { findTheme } from './themes.repo.ts'
import { createTheme as createInput, updateTheme as updateInput } from './themes.schema.ts'
import { createTheme, deleteTheme, restoreTheme, ThemeHasChildrenError, toApiTheme, updateTheme } from './themes.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const themesApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(themeList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const th = await createTheme(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/themes/${th.id}`)
    return c.json(toApiTheme(th), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const th = await findTheme(c.get('db'), c.req.param('id'))
    if (!th) throw new NotFoundError()
    return c.json(toApiTheme(th))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const th = await updateTheme(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiTheme(th))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    try {
      await deleteTheme(c.get('db'), c.req.param('id'), actor(c))
    } catch (err) {
      if (err instanceof ThemeHasChildrenError) return c.json({ error: { code: 'conflict', message: c.get('t')('theme.has_children') } }, 409)
      throw err
    }
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const th = await restoreTheme(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiTheme(th))
  })
