import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { projectSections, projectSectionRoutes } from './project-sections.ts'
import { projectDeletion } from './project-deletion.routes.ts'
import { projectsApi } from './projects.api.ts'
import * as messages from './projects.messages.ts'
import { projectPages } from './projects.routes.ts'

export const projects: Feature = {
  name: 'projects',
  routes: new Hono<AppEnv>()
    .route('/', projectSectionRoutes).route('/projects', projectDeletion).route('/projects', projectPages),
  api: new Hono<AppEnv>().route('/projects', projectsApi),
  messages,
  sections: projectSections,
  nav: [{ href: '/projects', key: 'nav.projects', role: 'viewer', group: 'register', order: 40 }],
}
