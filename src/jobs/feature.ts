import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { jobsPage } from './jobs.routes.ts'

/** The admin's page of background jobs (the queue itself starts with the server: src/newsletter/outreach.ts). */
export const jobs: Feature = {
  name: 'jobs',
  routes: new Hono<AppEnv>().route('/admin/jobs', jobsPage),
  nav: [{ href: '/admin/jobs', key: 'nav.jobs', role: 'admin', group: 'admin', order: 910 }],
}
