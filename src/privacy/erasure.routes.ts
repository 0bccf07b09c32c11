import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { findContact } from '../contacts/contacts.repo.ts'
import { contactName } from '../contacts/contacts.service.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formValues, textOf } from '../web/form.ts'
import { translateFields } from '../web/i18n.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam, validate } from '../web/validate.ts'
import { eraseContact, unrestrictContact } from './erasure.service.ts'
import { isAuthority } from './lawful-basis.ts'
import { listDecisions } from './retention-decisions.ts'

const eraseInput = z.strictObject({
  confirm: z.string().max(500),
  mode: z.enum(['anonymise', 'restrict']),
  decision_id: z.uuid().nullish(),
})

const actor = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id })

/** `POST /api/v1/contacts/:id/erase` and `…/unrestrict` (admin). */
export const erasureApi = new Hono<AppEnv>()
  .post('/:id{[0-9a-fA-F-]{36}}/erase', requireRole('admin'), idParam, validate('json', eraseInput), async (c) => {
    const req = c.req.valid('json')
    await eraseContact(c.get('db'), c.req.param('id'), req, actor(c), c.get('deps').config)
    return c.json({ id: c.req.param('id'), mode: req.mode, erased: req.mode === 'anonymise', restricted: req.mode === 'restrict' })
  })
  .post('/:id{[0-9a-fA-F-]{36}}/unrestrict', requireRole('admin'), idParam, async (c) => {
    await unrestrictContact(c.get('db'), c.req.param('id'), actor(c), c.get('deps').config)
    return c.json({ id: c.req.param('id'), restricted: false })
  })

async function showForm(c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string>, status = 200) {
  const db = c.get('db')
  const contact = await findContact(db, c.req.param('id')!)
  if (!contact || contact.erased_at) throw new NotFoundError()
  const name = contactName(contact)
  return render(c, 'privacy/erase', {
    title: c.get('t')('erase.title', { name }), contact, name, values, errors, decisions: await listDecisions(db), authority: isAuthority(c.get('deps').config),
  }, status)
}

/** `/contacts/:id/erase`: the form that asks for the mode, the decision and the name. */
export const erasurePages = new Hono<AppEnv>()
  .get('/:id{[0-9a-fA-F-]{36}}/erase', requireRole('admin'), idParam, (c) => showForm(c, { mode: 'restrict' }, {}))
  .post('/:id{[0-9a-fA-F-]{36}}/erase', requireRole('admin'), idParam, async (c) => {
    const f = await formValues(c)
    const values = { mode: textOf(f.mode) ?? '', decision_id: textOf(f.decision_id) ?? '', confirm: textOf(f.confirm) ?? '' }
    const parsed = eraseInput.safeParse({ ...values, decision_id: values.decision_id || null })
    if (!parsed.success) return showForm(c, values, { mode: c.get('t')('validation.invalid_option') }, 422)
    try {
      await eraseContact(c.get('db'), c.req.param('id'), parsed.data, actor(c), c.get('deps').config)
    } catch (err) {
      if (err instanceof ValidationError) return showForm(c, values, translateFields(err.fields, c.get('t')), 422)
      throw err
    }
    setFlash(c, parsed.data.mode === 'anonymise' ? 'erase.done_anonymise' : 'erase.done_restrict')
    return redirectAfterWrite(c, `/contacts/${c.req.param('id')}`)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/unrestrict', requireRole('admin'), idParam, async (c) => {
    await unrestrictContact(c.get('db'), c.req.param('id'), actor(c), c.get('deps').config)
    setFlash(c, 'erase.done_unrestrict')
    return redirectAfterWrite(c, `/contacts/${c.req.param('id')}`)
  })
