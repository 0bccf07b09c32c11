import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { login } from './login.routes.ts'
import { sessionsApi } from './sessions.api.ts'

export const auth: Feature = {
  name: 'auth',
  routes: new Hono<AppEnv>().route('/', login),
  api: new Hono<AppEnv>().route('/sessions', sessionsApi),
}
