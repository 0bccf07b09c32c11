import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { themeDeletion } from './theme-deletion.routes.ts'
import { themesApi } from './themes.api.ts'
import * as messages from './themes.messages.ts'
import { themePages } from './themes.routes.ts'

export const themes: Feature = {
  name: 'themes',
  routes: new Hono<AppEnv>().route('/themes', themeDeletion).route('/themes', themePages),
  api: new Hono<AppEnv>().route('/themes', themesApi),
  messages,
  nav: [{ href: '/themes', key: 'nav.themes', role: 'viewer', group: 'register', order: 60 }],
}
