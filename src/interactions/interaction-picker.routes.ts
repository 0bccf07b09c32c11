import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { contactOptions } from '../contacts/contacts.repo.ts'
import { personLabel } from '../contacts/person-context.ts'
import { render } from '../web/render.ts'
import { pickedNames, type LinkedRecord } from './interactions.repo.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ids = (list: string[] | undefined) => (list ?? []).filter((id) => UUID.test(id)).slice(0, 200)

/**
 * The form's search-driven pickers: what is ticked stays ticked (htmx sends it along), and the
 * matches for the query are offered beside it, so several records can be picked in turns. Organisations
 * use the organisation picker instead (views/partials/org-multi-picker.eta).
 */
export const interactionPicker = new Hono<AppEnv>()
  .get('/picker/contacts', requireRole('editor'), async (c) => {
    const db = c.get('db')
    const q = (c.req.query('contact_q') ?? '').trim().slice(0, 200)
    const picked = await pickedNames(db, 'contact', ids(c.req.queries('contact_ids')))
    const found = q ? await contactOptions(db, q, 20) : []
    const results: LinkedRecord[] = found.map((o) => ({ id: o.id, name: personLabel([o.first_name, o.last_name].filter(Boolean).join(' ') + (o.title ? ` (${o.title})` : ''), o.context) }))
    return render(c, 'interactions/_picker-choices', { type: 'contact', picked, results: unpicked(results, picked), searched: q !== '' })
  })

function unpicked(results: LinkedRecord[], picked: LinkedRecord[]): LinkedRecord[] {
  const taken = new Set(picked.map((p) => p.id))
  return results.filter((r) => !taken.has(r.id))
}
