import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { allPages } from '../register/csv-export.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { idParam, parseOrThrow, validate } from '../web/validate.ts'
import { findProduct, pageProducts } from './products.repo.ts'
import { createProduct as createInput, listProductsQuery, updateProduct as updateInput } from './products.schema.ts'
import { createProduct, deleteProduct, productsCsv, restoreProduct, toApiProduct, updateProduct } from './products.service.ts'

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

export const productsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const query = parseOrThrow(c, listProductsQuery, dropEmpty(c.req.queries() as Record<string, string[]>))
    if (query.deleted && c.get('user')!.role !== 'admin') query.deleted = undefined
    if (query.format === 'csv') {
      // An export is of the whole filtered list, not of one page.
      const { header, rows } = productsCsv(await allPages((cursor) => pageProducts(c.get('db'), { ...query, cursor, limit: 1000 })))
      return csvResponse(c, 'products.csv', header, rows)
    }
    const page = await pageProducts(c.get('db'), query)
    return c.json({ data: page.data.map(toApiProduct), next_cursor: page.next_cursor })
  })
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const product = await createProduct(c.get('db'), c.req.valid('json'), actor(c), c.get('t'))
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
    const product = await updateProduct(c.get('db'), c.req.param('id'), version, patch, actor(c), c.get('t'))
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
