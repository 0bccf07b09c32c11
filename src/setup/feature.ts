import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { setup as setupPages } from './setup.routes.ts'

export const setup: Feature = {
  name: 'setup',
  routes: new Hono<AppEnv>().route('/', setupPages),
}
