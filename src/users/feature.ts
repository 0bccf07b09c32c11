import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { usersApi } from './users.api.ts'

export const users: Feature = {
  name: 'users',
  api: new Hono<AppEnv>().route('/users', usersApi),
}
