import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { formFields } from '../web/form.ts'
import { NotFoundError } from '../web/errors.ts'
import { render } from '../web/render.ts'
import { deliveryByToken, subscribedLists, unsubscribe, type UnsubscribeScope } from './unsubscribe.service.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Unsubscribing from a received issue: the token in the message is the only credential. */
export const unsubscribePages = new Hono<AppEnv>()
  .get('/:token', publicAccess, async (c) => {
    const db = c.get('db')
    const delivery = await deliveryByToken(db, c.req.param('token'))
    if (!delivery) throw new NotFoundError()
    const lists = await subscribedLists(db, delivery.contact_id)
    return render(c, 'newsletter/unsubscribe', { title: c.get('t')('newsletter.unsubscribe_title'), token: c.req.param('token'), lists, done: null })
  })
  // RFC 8058 one-click: a mail provider POSTs `List-Unsubscribe=One-Click` with no cookie and from
  // no page of ours. This path is exempt from the CSRF check (app.ts) by design: the secret token
  // in the URL, not a session, authenticates it, and it can only unsubscribe its own recipient.
  .post('/:token', publicAccess, async (c) => {
    const form = await formFields(c)
    const scope: UnsubscribeScope = form.scope === 'all' ? { kind: 'all' }
      : form.list_id && UUID.test(form.list_id) ? { kind: 'list', listId: form.list_id }
      : { kind: 'issue' }
    const done = await unsubscribe(c.get('db'), c.req.param('token'), scope)
    if (!done) throw new NotFoundError()
    return render(c, 'newsletter/unsubscribe', { title: c.get('t')('newsletter.unsubscribe_title'), token: null, lists: [], done: scope.kind })
  })

/** The one-click unsubscribe URL, which the CSRF check lets through (see above). */
export const ONE_CLICK_PATH = /^\/newsletter\/unsubscribe\/[a-z2-7]{40}$/
