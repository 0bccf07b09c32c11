import { Hono, type Context } from 'hono'
import { survivorOf } from '../merge/merged-redirect.ts'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { COUNTIES } from '../register/counties.ts'
import { themeTree } from '../themes/themes.repo.ts'
import { ErasedPersonError, NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues } from '../web/form.ts'
import { isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { sectionSlots, type SectionHostLoader } from '../web/sections.ts'
import { recordTimeline } from '../web/timeline.ts'
import { readList } from '../web/list.ts'
import { idParam } from '../web/validate.ts'
import { contactList } from './contacts.list.ts'
import { contactOptions, findContact, isCurrent, type ContactRecord } from './contacts.repo.ts'
import {
  affiliationRowsFromForm, CATEGORIES, LAWFUL_BASES, contactFromForm, createContact as createSchema, type AffiliationRow,
} from './contacts.schema.ts'
import { contactName, createContact, updateContact } from './contacts.service.ts'
import { isAuthority } from '../privacy/lawful-basis.ts'
import { redirectTo } from '../web/redirect.ts'
import { audienceOf, guardContactView } from '../privacy/visibility.ts'
import { organisationNames, themeNames, today } from '../register/vocabulary.ts'

type Values = Record<string, string | string[]>

const EMPTY_ROW: AffiliationRow = { id: '', organisation_id: '', role: '', start_date: '', end_date: '', primary: false }

async function showForm(
  c: Context<AppEnv>,
  contact: ContactRecord | null,
  values: Values,
  rows: AffiliationRow[],
  errors: Record<string, string>,
  status = 200,
  stored?: ContactRecord,
) {
  const db = c.get('db')
  const names = await organisationNames(db, rows.map((r) => r.organisation_id).filter(Boolean))
  // Always one empty row more: adding an affiliation needs no script.
  const affiliations = [...rows, EMPTY_ROW].map((r) => ({ ...r, organisation_name: names.get(r.organisation_id) }))
  const name = contact ? contactName(contact) : ''
  return render(
    c,
    'contacts/form',
    {
      title: c.get('t')(contact ? 'contact.edit' : 'contact.new') + (name ? `: ${name}` : ''),
      contact, values, affiliations, errors, stored, categories: CATEGORIES, counties: COUNTIES,
      themes: await themeTree(db), lawfulBases: LAWFUL_BASES, authority: isAuthority(c.get('deps').config),
    },
    status,
  )
}

function valuesOf(c: ContactRecord): Values {
  return {
    first_name: c.first_name ?? '', last_name: c.last_name ?? '', email: c.email ?? '', phone: c.phone ?? '', title: c.title ?? '',
    categories: c.categories, influence: c.influence?.toString() ?? '', interest: c.interest?.toString() ?? '',
    county: c.county ?? '', language: c.language ?? '', tags: c.tags.join(', '), theme_ids: c.theme_ids, notes: c.notes ?? '',
    lawful_basis: c.lawful_basis, lawful_basis_note: c.lawful_basis_note ?? '', protected_identity: c.protected_identity ? 'on' : '',
    version: String(c.version),
  }
}

function rowsOf(c: ContactRecord): AffiliationRow[] {
  return c.affiliations.map((a) => ({
    id: a.id, organisation_id: a.organisation_id, role: a.role ?? '', start_date: a.start_date ?? '', end_date: a.end_date ?? '', primary: a.is_primary,
  }))
}

/** Validates the form, saves, and answers with the record or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, contact: ContactRecord | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  const rows = affiliationRowsFromForm(values)
  return saveForm(c, {
    record: contact, values, parsed: createSchema.safeParse(contactFromForm(values)),
    write: (data, version) => (contact ? updateContact(db, contact.id, version, data, actor) : createContact(db, data, actor)),
    reload: (stored) => findContact(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, rows, errors, status, stored),
    done: (saved) => redirectAfterWrite(c, `/contacts/${saved.id}`),
  })
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The organisation the person is picked for: `organisation_id`, or a form row's own
 * `….organisation_id` (an alliance member row sends its whole row along), if it is an id.
 */
function optionsOrganisation(query: Record<string, string[]>): string | undefined {
  const key = 'organisation_id' in query ? 'organisation_id' : Object.keys(query).find((k) => k.endsWith('.organisation_id'))
  const value = key ? query[key]?.[0] : undefined
  return value && UUID.test(value) ? value : undefined
}

/** The contact page as a host of other features' sections: the person, if this reader may see them. */
export const contactHost: SectionHostLoader = async (c, id) => {
  const contact = await findContact(c.get('db'), id)
  if (!contact) return undefined
  await guardContactView(c, contact)
  return { id, name: contactName(contact) || c.get('t')('contact.erased'), href: `/contacts/${id}` }
}

/**
 * The person a form edits: one this reader may see (404 or 403), and not erased — an erased
 * person's record stays anonymous: no form to type a name back into, and a posted one is refused
 * before it is validated (an invalid form would otherwise come back with the name typed into it).
 * The save refuses as well (updateContact).
 */
async function editableContact(c: Context<AppEnv>): Promise<ContactRecord> {
  const contact = await findContact(c.get('db'), c.req.param('id')!)
  if (!contact) throw new NotFoundError()
  await guardContactView(c, contact)
  if (contact.erased_at) throw new ErasedPersonError()
  return contact
}

export const contactPages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const list = readList(c, contactList)
    if (list.csv) return list.csv()
    const { query } = list
    const [page, themes, organisations] = await Promise.all([list.page(), themeTree(db), organisationNames(db, query.organisation_id)])
    const title = c.get('t')(query.deleted ? 'contact.deleted_title' : 'contact.list_title')
    const data = { title, page, query, list: list.links, themes, organisations, categories: CATEGORIES, counties: COUNTIES, today: today() }
    return render(c, isPartial(c) ? 'contacts/_results' : 'contacts/index', data)
  })
  .get('/new', requireRole('editor'), async (c) => {
    // "Add person here" on an organisation's page: the first affiliation is that organisation.
    const orgId = c.req.query('organisation_id') ?? ''
    const known = UUID.test(orgId) ? await organisationNames(c.get('db'), [orgId]) : new Map()
    const rows: AffiliationRow[] = known.has(orgId) ? [{ ...EMPTY_ROW, organisation_id: orgId, primary: true }] : []
    return showForm(c, null, {}, rows, {})
  })
  .get('/options', requireRole('viewer'), async (c) => {
    const organisationId = optionsOrganisation(c.req.queries())
    const options = await contactOptions(c.get('db'), (c.req.query('q') ?? '').slice(0, 200), 30, audienceOf(c), { organisationId })
    const rows = options.map((o) => ({ id: o.id, name: contactName(o), title: o.title, context: o.context, here: o.at_organisation }))
    return render(c, 'contacts/_options', { options: rows, forOrganisation: Boolean(organisationId) })
  })
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, async (c) => {
    const db = c.get('db')
    const contact = await findContact(db, c.req.param('id'))
    if (!contact) {
      const survivor = await survivorOf(db, 'contacts', c.req.param('id'))
      if (survivor) return redirectTo(c, `/contacts/${survivor}`, 301)
      throw new NotFoundError()
    }
    await guardContactView(c, contact)
    const day = today()
    const [themes, timeline] = await Promise.all([themeNames(db, contact.theme_ids), recordTimeline(db, 'contact', contact.id)])
    return render(c, 'contacts/show', {
      authority: isAuthority(c.get('deps').config),
      title: contactName(contact) || c.get('t')('contact.erased'),
      contact, themes, timeline, sections: sectionSlots(c, 'contact', contact.id), labelPrefix: 'contact.',
      current: contact.affiliations.filter((a) => isCurrent(a, day)),
      former: contact.affiliations.filter((a) => !isCurrent(a, day)),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const contact = await editableContact(c)
    return showForm(c, contact, valuesOf(contact), rowsOf(contact), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => save(c, await editableContact(c)))
