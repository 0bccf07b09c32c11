import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { importRun } from './import-run.routes.ts'
import * as messages from './import.messages.ts'
import { importPages, isUpload } from './import.routes.ts'

export const csvImport: Feature = {
  name: 'import',
  routes: new Hono<AppEnv>().route('/import', importRun).route('/import', importPages),
  messages,
  // The CSV upload has its own, larger limit (on its route).
  ownBodyLimit: isUpload,
}
