import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { ImportEntity } from '../db/schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { NotFoundError, PayloadTooLargeError } from '../web/errors.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { CsvReadError, decodeCsv, detectDelimiter, NotTextError, readCsvInTurns, type Delimiter } from './csv-read.ts'
import { guessMapping, headerKey, IMPORT_FIELDS, missingRequired, type Mapping } from './import-fields.ts'
import { planImport } from './import-plan.ts'
import { findUploadWithContent, recentReports, rememberedMapping, saveMapping, saveUpload, type Upload } from './import.repo.ts'
import { decisionsFrom, previewData } from './import-preview.ts'
import { redirectTo } from '../web/redirect.ts'

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const MAX_ROWS = 50_000
const ENTITIES: readonly ImportEntity[] = ['organisations', 'contacts']

/** The upload is the one request allowed past the app's 1 MB body limit; it has its own. */
export function isUpload(method: string, path: string): boolean {
  return method === 'POST' && (path === '/import' || path === '/import/')
}

const uploadLimit = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: () => { throw new PayloadTooLargeError() } })

function entityOf(v: unknown): ImportEntity | undefined {
  return ENTITIES.find((e) => e === v)
}

async function ownUpload(c: Context<AppEnv>): Promise<Upload & { content: string }> {
  const upload = await findUploadWithContent(c.get('db'), c.req.param('id')!, c.get('user')!.id)
  if (!upload) throw new NotFoundError()
  return upload
}

async function showUpload(c: Context<AppEnv>, values: { entity?: string }, errors: Record<string, string>, status = 200) {
  const reports = await recentReports(c.get('db'), c.get('user')!.id)
  return render(c, 'import/upload', { title: c.get('t')('import.title'), values, errors, entities: ENTITIES, reports, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 }, status)
}

async function showMapping(c: Context<AppEnv>, upload: Upload & { content: string }, mapping: Mapping, errors: Record<string, string>, remembered: boolean, status = 200) {
  const table = await readCsvInTurns(upload.content, upload.delimiter as Delimiter)
  const samples = table.headers.map((_, i) => table.rows.slice(0, 3).map((r) => r.cells[i] ?? '').filter(Boolean))
  return render(c, 'import/mapping', {
    title: c.get('t')('import.mapping_title'),
    upload, headers: table.headers, samples, rowCount: table.rows.length, fields: IMPORT_FIELDS[upload.entity], mapping, errors, remembered, kinds: KINDS,
  }, status)
}

export const importPages = new Hono<AppEnv>()
  .get('/', requireRole('editor'), (c) => showUpload(c, { entity: entityOf(c.req.query('entity')) ?? 'organisations' }, {}))
  .post('/', requireRole('editor'), uploadLimit, async (c) => {
    const t = c.get('t')
    const body = await c.req.parseBody()
    const entity = entityOf(body.entity)
    const file = body.file
    const errors: Record<string, string> = {}
    if (!entity) errors.entity = t('validation.invalid_option')
    if (!(file instanceof File) || file.size === 0) errors.file = t('import.no_file')
    if (Object.keys(errors).length || !entity || !(file instanceof File)) return showUpload(c, { entity: String(body.entity ?? '') }, errors, 422)
    let content = ''
    let delimiter: Delimiter = ','
    try {
      content = decodeCsv(new Uint8Array(await file.arrayBuffer()))
      delimiter = detectDelimiter(content)
      const { rows } = await readCsvInTurns(content, delimiter)
      if (rows.length === 0) errors.file = t('import.no_rows')
      if (rows.length > MAX_ROWS) errors.file = t('import.too_many_rows', { max: MAX_ROWS })
    } catch (err) {
      if (err instanceof NotTextError) errors.file = t('import.not_text')
      else if (err instanceof CsvReadError) errors.file = t('import.bad_csv')
      else throw err
    }
    if (errors.file) return showUpload(c, { entity }, errors, 422)
    const filename = file.name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200) || 'import.csv'
    const id = await saveUpload(c.get('db'), { user_id: c.get('user')!.id, entity, filename, content, delimiter })
    return redirectAfterWrite(c, `/import/${id}/mapping`)
  })
  .get('/:id{[0-9a-fA-F-]{36}}/mapping', requireRole('editor'), idParam, async (c) => {
    const upload = await ownUpload(c)
    const { headers } = await readCsvInTurns(upload.content, upload.delimiter as Delimiter)
    const remembered = upload.mapping ? undefined : await rememberedMapping(c.get('db'), headerKey(upload.entity, headers))
    return showMapping(c, upload, upload.mapping ?? remembered ?? guessMapping(upload.entity, headers), {}, !!remembered)
  })
  .post('/:id{[0-9a-fA-F-]{36}}/mapping', requireRole('editor'), idParam, async (c) => {
    const t = c.get('t')
    const upload = await ownUpload(c)
    const { headers } = await readCsvInTurns(upload.content, upload.delimiter as Delimiter)
    const f = await formFields(c)
    const allowed = new Set<string>(IMPORT_FIELDS[upload.entity])
    const mapping: Mapping = {}
    const errors: Record<string, string> = {}
    const usedBy = new Map<string, number>()
    headers.forEach((h, i) => {
      const field = f[`map_${i}`] ?? ''
      if (!field) return
      if (!allowed.has(field)) errors[`map_${i}`] = t('validation.invalid_option')
      else if (usedBy.has(field)) errors[`map_${i}`] = t('import.field_twice', { column: headers[usedBy.get(field)!] ?? '' })
      else {
        usedBy.set(field, i)
        mapping[String(i)] = field
      }
    })
    const kind = f.default_kind ?? ''
    if (kind && upload.entity === 'organisations') {
      if ((KINDS as readonly string[]).includes(kind)) mapping._default_kind = kind
      else errors.default_kind = t('validation.invalid_option')
    }
    if (missingRequired(upload.entity, mapping)) errors._ = t(upload.entity === 'organisations' ? 'import.name_unmapped' : 'import.contact_name_unmapped')
    if (Object.keys(errors).length) return showMapping(c, upload, mapping, errors, false, 422)
    await saveMapping(c.get('db'), upload, headerKey(upload.entity, headers), mapping)
    return redirectAfterWrite(c, `/import/${upload.id}/preview`)
  })
  .get('/:id{[0-9a-fA-F-]{36}}/preview', requireRole('editor'), idParam, async (c) => {
    const upload = await ownUpload(c)
    if (!upload.mapping) return redirectTo(c, `/import/${upload.id}/mapping`)
    const table = await readCsvInTurns(upload.content, upload.delimiter as Delimiter)
    const decisions = decisionsFrom(c.req.query())
    const plan = await planImport(c.get('db'), { entity: upload.entity, table, mapping: upload.mapping, decisions, t: c.get('t') })
    return render(c, 'import/preview', { title: c.get('t')('import.preview_title'), upload, decisions, labelPrefix: 'import.f.', ...previewData(plan) })
  })
