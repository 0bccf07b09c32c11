import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { contactName } from '../contacts/contacts.service.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { registerExtract } from './extract.service.ts'
import { extractInWords } from './extract-words.ts'

const extractOf = async (c: Context<AppEnv>) =>
  extractInWords(await registerExtract(c.get('db'), c.req.param('id')!, { userId: c.get('user')!.id }, c.get('deps').config), c.get('t'))

/** `GET /api/v1/contacts/:id/extract`: the register extract as JSON (admin). */
export const extractApi = new Hono<AppEnv>().get('/:id{[0-9a-fA-F-]{36}}/extract', requireRole('admin'), idParam, async (c) => c.json(await extractOf(c)))

/** `/contacts/:id/extract`: the same, as a page that prints well. */
export const extractPage = new Hono<AppEnv>().get('/:id{[0-9a-fA-F-]{36}}/extract', requireRole('admin'), idParam, async (c) => {
  const extract = await extractOf(c)
  const name = contactName(extract.contact) || c.get('t')('contact.erased')
  return render(c, 'privacy/extract', { title: c.get('t')('privacy.extract_title', { name }), extract, name })
})
