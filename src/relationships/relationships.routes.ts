import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { OrganisationRelationship } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { findOrganisation } from '../organisations/organisations.repo.ts'
import { NotFoundError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { saveForm } from '../web/form-save.ts'
import { formFields, formValues } from '../web/form.ts'
import { isHtmx, isPartial, redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { findRelationship, relationsOf } from './relationships.repo.ts'
import { createRelationship as createSchema, formErrors, relationOf, relationshipFromForm, RELATION_KEYS } from './relationships.schema.ts'
import { createRelationship, deleteRelationship, restoreRelationship, updateRelationship } from './relationships.service.ts'

type Values = Record<string, string | string[]>

/** A form value that names a record, or '' (a tampered value never reaches a query or a header). */
function uuidOf(v: string | string[] | undefined): string {
  return typeof v === 'string' && z.uuid().safeParse(v).success ? v : ''
}

/** What the organisation page shows: its relationships worded from its side, and for an admin those deleted. */
export async function relationshipSection(db: Executor, organisationId: string, isAdmin: boolean) {
  const [relations, deleted] = await Promise.all([
    relationsOf(db, organisationId),
    isAdmin ? relationsOf(db, organisationId, { deleted: true }) : Promise.resolve([]),
  ])
  return { relations, deleted, relationKeys: RELATION_KEYS }
}

/**
 * Back to the organisation's relationships. Not by the hash for htmx: HX-Redirect sets
 * location.href, and on the page it came from a URL differing only in its hash would not reload.
 */
function backTo(c: Context<AppEnv>, organisationId: string): Response {
  return redirectAfterWrite(c, `/organisations/${organisationId}${isHtmx(c) ? '' : '#section-relationships'}`)
}

/** The side the form speaks from: the organisation named, if it is one of the two, else the `from` one. */
function sideOf(r: OrganisationRelationship, organisationId: string | undefined): string {
  return organisationId === r.to_organisation_id ? r.to_organisation_id : r.from_organisation_id
}

function valuesOf(r: OrganisationRelationship, self: string): Values {
  const reversed = self !== r.from_organisation_id
  return {
    organisation_id: self,
    relation: relationOf(r.type, reversed),
    other_organisation_id: reversed ? r.from_organisation_id : r.to_organisation_id,
    start_date: r.start_date ?? '',
    end_date: r.end_date ?? '',
    note: r.note ?? '',
    version: String(r.version),
  }
}

async function showForm(c: Context<AppEnv>, rel: OrganisationRelationship | null, values: Values, errors: Record<string, string>, status = 200, stored?: OrganisationRelationship) {
  const db = c.get('db')
  const selfId = uuidOf(values.organisation_id)
  const otherId = uuidOf(values.other_organisation_id)
  const [self, other] = await Promise.all([
    selfId ? findOrganisation(db, selfId, { withDeleted: true }) : undefined,
    otherId ? findOrganisation(db, otherId, { withDeleted: true }) : undefined,
  ])
  if (!self) throw new NotFoundError()
  const t = c.get('t')
  const storedValues = stored ? valuesOf(stored, selfId) : undefined
  const storedOther = storedValues ? await findOrganisation(db, storedValues.other_organisation_id as string, { withDeleted: true }) : undefined
  const data = {
    title: t(rel ? 'relationship.edit' : 'relationship.add') + `: ${self.name}`,
    rel, self, values, errors, relationKeys: RELATION_KEYS,
    other: other ? { id: other.id, name: other.name } : null,
    stored: storedValues && { ...storedValues, other_name: storedOther?.name ?? '' },
  }
  return render(c, isPartial(c) ? 'relationships/_form' : 'relationships/form', data, status)
}

/** Validates the form, saves, and answers with the organisation page or the form again (422 invalid, 409 changed meanwhile). */
async function save(c: Context<AppEnv>, rel: OrganisationRelationship | null) {
  const db = c.get('db')
  const actor = { userId: c.get('user')!.id }
  const values = await formValues(c)
  return saveForm(c, {
    record: rel, values, parsed: createSchema.safeParse(relationshipFromForm(values)), messages: formErrors,
    write: (data, version) => (rel ? updateRelationship(db, rel.id, version, data, actor) : createRelationship(db, data, actor)),
    reload: (stored) => findRelationship(db, stored.id),
    show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
    done: () => backTo(c, uuidOf(values.organisation_id)),
  })
}

export const relationshipPages = new Hono<AppEnv>()
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { organisation_id: c.req.query('organisation_id') ?? '' }, {}))
  .post('/', requireRole('editor'), (c) => save(c, null))
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const rel = await findRelationship(c.get('db'), c.req.param('id'))
    if (!rel) throw new NotFoundError()
    return showForm(c, rel, valuesOf(rel, sideOf(rel, c.req.query('organisation_id'))), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const rel = await findRelationship(c.get('db'), c.req.param('id'))
    if (!rel) throw new NotFoundError()
    return save(c, rel)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/delete', requireRole('editor'), idParam, async (c) => {
    const { version, organisation_id } = await formFields(c)
    const rel = await findRelationship(c.get('db'), c.req.param('id'))
    if (!rel) throw new NotFoundError()
    await deleteRelationship(c.get('db'), rel.id, { userId: c.get('user')!.id }, version ? Number(version) : undefined)
    setFlash(c, 'record.deleted')
    return backTo(c, sideOf(rel, organisation_id))
  })
  .post('/:id{[0-9a-fA-F-]{36}}/restore', requireRole('admin'), idParam, async (c) => {
    const { organisation_id } = await formFields(c)
    const rel = await restoreRelationship(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id })
    setFlash(c, 'record.restored')
    return backTo(c, sideOf(rel, organisation_id))
  })
