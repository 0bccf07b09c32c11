import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { health as probe } from './health.routes.ts'

export const health: Feature = {
  name: 'health',
  early: new Hono<AppEnv>().route('/', probe),
}
