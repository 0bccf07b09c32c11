import { listApi } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { projectList } from './projects.list.ts'
import { findProject } from './projects.repo.ts'
import { createProject as createInput, updateProject as updateInput } from './projects.schema.ts'
import { createProject, deleteProject, restoreProject, toApiProject, updateProject } from './projects.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const projectsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(projectList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const project = await createProject(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/projects/${project.id}`)
    return c.json(toApiProject(project), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const project = await findProject(c.get('db'), c.req.param('id'))
    if (!project) throw new NotFoundError()
    return c.json(toApiProject(project))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const project = await updateProject(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiProject(project))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteProject(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const project = await restoreProject(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiProject(project))
  })
