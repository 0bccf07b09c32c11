import { audienceOf } from '../privacy/visibility.ts'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { nodeCard } from './card.ts'
import { NODE_TYPES, type NetNodeType } from './graph.service.ts'
import { today } from '../register/vocabulary.ts'

/** GET /network/card/:type/:id — a node's card for the network page's side panel (htmx fragment). */
export const networkCard = new Hono<AppEnv>().get('/card/:type/:id', requireRole('viewer'), idParam, async (c) => {
  const type = c.req.param('type')
  if (!(NODE_TYPES as readonly string[]).includes(type)) throw new NotFoundError()
  const card = await nodeCard(c.get('db'), type as NetNodeType, c.req.param('id'), today(), c.get('t'), audienceOf(c))
  if (!card) throw new NotFoundError()
  return render(c, 'network/card', { card, title: card.title })
})
