import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { NotFoundError } from '../web/errors.ts'
import { listApi } from '../web/list.ts'
import { idParam, validate } from '../web/validate.ts'
import { contactList } from './contacts.list.ts'
import { findContact } from './contacts.repo.ts'
import { createContact as createInput, updateContact as updateInput } from './contacts.schema.ts'
import { createContact, deleteContact, restoreContact, toApiContact, updateContact } from './contacts.service.ts'
import { lawfulBasisWarnings } from '../privacy/lawful-basis.ts'
import { audienceOf, guardContactView, mayShowContact } from '../privacy/visibility.ts'
import type { Context } from 'hono'
import type { ContactRecord } from './contacts.repo.ts'

/** The contact, with a warning when the lawful basis chosen does not suit this controller. */
function withHints(c: Context<AppEnv>, contact: ContactRecord) {
  const warnings = lawfulBasisWarnings(c.get('deps').config, contact.lawful_basis, c.get('t'))
  return warnings.length ? { ...toApiContact(contact), warnings } : toApiContact(contact)
}

/** A person the reader may not see (restricted, for an editor) cannot be changed by them either. */
async function guardHidden(c: Context<AppEnv>) {
  const row = await c.get('db').selectFrom('contacts').select(['restricted', 'protected_identity']).where('id', '=', c.req.param('id')!).executeTakeFirst()
  if (row && !mayShowContact(audienceOf(c), row)) throw new NotFoundError()
}

const actor = (c: { get(k: 'user'): { id: string } | null }) => ({ userId: c.get('user')!.id })

export const contactsApi = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), listApi(contactList))
  .post('/', requireRole('editor'), validate('json', createInput), async (c) => {
    const contact = await createContact(c.get('db'), c.req.valid('json'), actor(c))
    c.header('Location', `/api/v1/contacts/${contact.id}`)
    return c.json(withHints(c, contact), 201)
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const contact = await findContact(c.get('db'), c.req.param('id'))
    if (!contact) throw new NotFoundError()
    await guardContactView(c, contact)
    return c.json(toApiContact(contact))
  })
  .patch('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, validate('json', updateInput), async (c) => {
    await guardHidden(c)
    const { version, ...patch } = c.req.valid('json')
    const contact = await updateContact(c.get('db'), c.req.param('id'), version, patch, actor(c))
    return c.json(withHints(c, contact))
  })
  .delete('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    await guardHidden(c)
    await deleteContact(c.get('db'), c.req.param('id'), actor(c))
    return c.body(null, 204)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const contact = await restoreContact(c.get('db'), c.req.param('id'), actor(c))
    return c.json(toApiContact(contact))
  })
