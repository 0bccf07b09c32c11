import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { account as page } from './account.routes.ts'

export const account: Feature = {
  name: 'account',
  routes: new Hono<AppEnv>().route('/account', page),
}
