import { listApi } from '../web/list.ts'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, validate } from '../web/validate.ts'
import { productList } from './products.list.ts'
import { findProduct } from './products.repo.ts'
import { createProduct as createInput, updateProduct as updateInput } from './products.schema.ts'
import { createProduct, deleteProduct, restoreProduct, toApiProduct, updateProduct } from './products.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const productsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(productList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const product = await createProduct(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/products/${product.id}`)
    return c.json(toApiProduct(product), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const product = await findProduct(c.get('db'), c.req.param('id'))
    if (!product) throw new NotFoundError()
    return c.json(toApiProduct(product))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    const { version, ...patch } = c.req.valid('json')
    const product = await updateProduct(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(toApiProduct(product))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await deleteProduct(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const product = await restoreProduct(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiProduct(product))
  })
