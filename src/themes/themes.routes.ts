import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Theme } from '../db/schema.ts'
import { NotFoundError } from '../web/errors.ts'
import { saveForm } from '../web/form-save.ts'
import { formValues } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { auditTimeline } from '../audit/audit-timeline.ts'
import { idParam } from '../web/validate.ts'
import { deletedThemes, findTheme, subThemes, taggedCounts, themeAncestors, themeTree, type ThemeNode } from './themes.repo.ts'
import { createTheme as createSchema, themeFromForm } from './themes.schema.ts'
import { createTheme, updateTheme } from './themes.service.ts'

type Values = Record<string, string | string[]>

export interface NestedTheme {
  id: string
  name: string
  children: NestedTheme[]
}

/** The flat tree (parents first, with depth) as nested lists for the page. */
export function nest(nodes: ThemeNode[]): NestedTheme[] {
  const roots: NestedTheme[] = []
  const stack: NestedTheme[] = []
  for (const n of nodes) {
    const item = { id: n.id, name: n.name, children: [] }
    stack.length = n.depth
    const parent = stack[n.depth - 1]
    if (parent) parent.children.push(item)
    else roots.push(item)
    stack.push(item)
  }
  return roots
}

/** The tree without `id` and everything below it: the places a theme may move to. */
function parentChoices(tree: ThemeNode[], id: string | undefined): ThemeNode[] {
  if (!id) return tree
  const out: ThemeNode[] = []
  let skipBelow: number | null = null
  for (const n of tree) {
    if (skipBelow !== null && n.depth > skipBelow) continue
    skipBelow = null
    if (n.id === id) {
      skipBelow = n.depth
      continue
    }
    out.push(n)
  }
  return out
}

async function showIndex(c: Context<AppEnv>, values: Values, errors: Record<string, string>, status = 200) {
  const db = c.get('db')
  const t = c.get('t')
  const deleted = c.req.query('deleted') === '1' && c.get('user')!.role === 'admin'
  const tree = await themeTree(db)
  const removed = deleted ? await deletedThemes(db) : []
  return render(
    c,
    'themes/index',
    { title: t(deleted ? 'theme.deleted_title' : 'theme.title'), nested: nest(tree), parents: tree, deleted, removed, values, errors },
    status,
  )
}

async function showForm(c: Context<AppEnv>, theme: Theme | null, values: Values, errors: Record<string, string>, status = 200, stored?: Theme) {
  const tree = await themeTree(c.get('db'))
  const title = c.get('t')(theme ? 'theme.edit' : 'theme.new')
  return render(c, 'themes/form', { title, theme, values, errors, stored, parents: parentChoices(tree, theme?.id) }, status)
}

/** The theme's page; `problem` is a message shown on top (a refused delete). */
export async function showTheme(c: Context<AppEnv>, id: string, problem?: string, status = 200) {
  const db = c.get('db')
  const theme = await findTheme(db, id)
  if (!theme) throw new NotFoundError()
  const [ancestors, children, counts, timeline] = await Promise.all([
    themeAncestors(db, theme.id),
    subThemes(db, theme.id),
    taggedCounts(db, theme.id),
    auditTimeline(db, 'theme', theme.id),
  ])
  const data = { title: theme.name, theme, ancestors, children, counts, timeline, problem, labelPrefix: 'theme.' }
  return render(c, 'themes/show', data, status)
}

function valuesOf(th: Theme): Values {
  return { name: th.name, parent_id: th.parent_id ?? '', description: th.description ?? '', version: String(th.version) }
}

export const themePages = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), (c) => showIndex(c, { parent_id: c.req.query('parent_id') ?? '' }, {}))
  .get('/new', requireRole('editor'), (c) => showForm(c, null, { parent_id: c.req.query('parent_id') ?? '' }, {}))
  .post('/', requireRole('editor'), async (c) => {
    const values = await formValues(c)
    return saveForm(c, {
      record: null as Theme | null, values, parsed: createSchema.safeParse(themeFromForm(values)),
      write: (data) => createTheme(c.get('db'), data, { userId: c.get('user')!.id }),
      // The short form on the list page answers there; the full form on its own page.
      show: (record, values, errors, status) => (values.return === 'list' ? showIndex(c, values, errors, status) : showForm(c, record, values, errors, status)),
      done: (th) => redirectAfterWrite(c, values.return === 'list' ? '/themes' : `/themes/${th.id}`),
    })
  })
  .get('/:id{[0-9a-fA-F-]{36}}', requireRole('viewer'), idParam, (c) => showTheme(c, c.req.param('id')))
  .get('/:id{[0-9a-fA-F-]{36}}/edit', requireRole('editor'), idParam, async (c) => {
    const theme = await findTheme(c.get('db'), c.req.param('id'))
    if (!theme) throw new NotFoundError()
    return showForm(c, theme, valuesOf(theme), {})
  })
  .post('/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const t = c.get('t')
    const db = c.get('db')
    const theme = await findTheme(db, c.req.param('id'))
    if (!theme) throw new NotFoundError()
    const values = await formValues(c)
    return saveForm(c, {
      record: theme, values, parsed: createSchema.safeParse(themeFromForm(values)),
      write: (data, version) => updateTheme(db, theme.id, version, data, { userId: c.get('user')!.id }),
      reload: (stored) => findTheme(db, stored.id),
      show: (record, values, errors, status, stored) => showForm(c, record, values, errors, status, stored),
      done: () => redirectAfterWrite(c, `/themes/${theme.id}`),
    })
  })
