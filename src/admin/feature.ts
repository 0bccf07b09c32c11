import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { adminUserPassword } from './user-password.routes.ts'
import { adminUsers } from './users.routes.ts'

export const admin: Feature = {
  name: 'admin',
  routes: new Hono<AppEnv>().route('/admin/users', adminUsers).route('/admin/users', adminUserPassword),
  nav: [{ href: '/admin/users', key: 'nav.admin_users', role: 'admin', group: 'admin', order: 900 }],
}
