import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { contactOptions } from '../contacts/contacts.repo.ts'
import { personLabel } from '../contacts/person-context.ts'
import { contactName } from '../contacts/contacts.service.ts'
import { organisationOptions } from '../organisations/organisations.repo.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { translateFields } from '../web/i18n.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import type { MergeEntity } from './links.ts'
import { MERGE_FIELDS } from './merge-fields.ts'
import { compareData, recordLabel } from './merge-view.ts'
import { mergeable } from './mergeable.ts'
import { mergeRecords } from './merge.service.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const uuidOr = (v: string | undefined) => (v && UUID.test(v) ? v : undefined)

async function pick(c: Context<AppEnv>, entity: MergeEntity, a?: string) {
  const db = c.get('db')
  const options = entity === 'organisations'
    ? (await organisationOptions(db, '', 50)).map((o) => ({ id: o.id, name: o.name }))
    : (await contactOptions(db, '', 50)).map((o) => ({ id: o.id, name: personLabel(contactName(o), o.context) }))
  const first = a ? await mergeable(db, entity, a) : undefined
  if (first && !options.some((o) => o.id === first.id)) options.unshift({ id: first.id, name: recordLabel(entity, first) })
  return render(c, 'merge/pick', { title: c.get('t')('merge.pick_title'), entity, options, a: a ?? '' })
}

async function compare(c: Context<AppEnv>, entity: MergeEntity, ids: [string, string], opts: { chosen?: Record<string, string>; keep?: string; errors?: Record<string, string>; conflict?: boolean; status?: number } = {}) {
  const db = c.get('db')
  const [a, b] = await Promise.all(ids.map((id) => mergeable(db, entity, id)))
  if (!a || !b) throw new NotFoundError()
  const data = await compareData(db, entity, a, b, c.get('t'), opts.chosen)
  return render(c, 'merge/compare', {
    title: c.get('t')(`merge.title_${entity}`), ...data, keep: opts.keep === 'b' ? 'b' : 'a', errors: opts.errors ?? {}, conflict: !!opts.conflict,
  }, opts.status ?? 200)
}

/** GET and POST /<plural>/merge: two records side by side, a choice per field, one merge. */
export function mergePages(entity: MergeEntity) {
  return new Hono<AppEnv>()
    .get('/merge', requireRole('editor'), async (c) => {
      const [a, b] = [uuidOr(c.req.query('a')), uuidOr(c.req.query('b'))]
      if (!a || !b || a === b) return pick(c, entity, a)
      return compare(c, entity, [a, b])
    })
    .post('/merge', requireRole('editor'), async (c) => {
      const t = c.get('t')
      const f = await formFields(c)
      const [a, b] = [uuidOr(f.a), uuidOr(f.b)]
      if (!a || !b) throw new NotFoundError()
      if (!(await mergeable(c.get('db'), entity, a)) || !(await mergeable(c.get('db'), entity, b))) throw new NotFoundError()
      const keep = f.keep === 'b' ? 'b' : 'a'
      const [survivor, other] = keep === 'a' ? [a, b] : [b, a]
      const chosen: Record<string, string> = {}
      for (const name of MERGE_FIELDS[entity].choose) if (f[`field_${name}`] === 'a' || f[`field_${name}`] === 'b') chosen[name] = f[`field_${name}`]!
      const fields = Object.fromEntries(Object.entries(chosen).map(([name, side]) => [name, side === keep ? 'this' : 'other'] as const))
      const version = Number(keep === 'a' ? f.version_a : f.version_b)
      const otherVersion = Number(keep === 'a' ? f.version_b : f.version_a)
      try {
        await mergeRecords(c.get('db'), entity, survivor, { other_id: other, version, other_version: otherVersion, fields }, { userId: c.get('user')!.id })
      } catch (err) {
        if (err instanceof StaleVersionError) return compare(c, entity, [a, b], { chosen, keep, conflict: true, status: 409 })
        if (err instanceof ValidationError) return compare(c, entity, [a, b], { chosen, keep, errors: translateFields(err.fields, t), status: 422 })
        throw err
      }
      setFlash(c, 'merge.done')
      return redirectAfterWrite(c, `/${entity}/${survivor}`)
    })
}

export const organisationMergePages = mergePages('organisations')
export const contactMergePages = mergePages('contacts')
