import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { productDeletion } from './product-deletion.routes.ts'
import { productsApi } from './products.api.ts'
import * as messages from './products.messages.ts'
import { productPages } from './products.routes.ts'

export const products: Feature = {
  name: 'products',
  routes: new Hono<AppEnv>().route('/products', productDeletion).route('/products', productPages),
  api: new Hono<AppEnv>().route('/products', productsApi),
  messages,
  nav: [{ href: '/products', key: 'nav.products', role: 'viewer', group: 'register', order: 50 }],
}
