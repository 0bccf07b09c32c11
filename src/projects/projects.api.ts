import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { findProject, pageProjects } from './projects.repo.ts'
import { createProject as createInput, listProjectsQuery, updateProject as updateInput } from './projects.schema.ts'
import { createProject, deleteProject, projectsCsv, restoreProject, toApiProject, updateProject } from './projects.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const projectsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listProjectsQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      // An export is of the whole filtered list, not of one page.
      const { header, rows } = projectsCsv(await allPages((cursor) => pageProjects(c.get('db'), { ...query, cursor, limit: 1000 })))
      return csvResponse(c, 'projects.csv', header, rows)
    }
    const page = await pageProjects(c.get('db'), query)
    return c.json({ data: page.data.map(toApiProject), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const project = await createProject(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
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
    const project = await updateProject(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
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
